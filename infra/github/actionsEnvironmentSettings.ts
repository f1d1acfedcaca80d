import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";

export interface ActionsEnvironmentSettingsArgs {
    /** Repository name (without owner). */
    repository: pulumi.Input<string>;
    /** GitHub environment the values belong to; jobs see them only when they run in it. */
    environment: pulumi.Input<string>;
    /** Plain Actions variables (`vars.NAME`), by name. */
    variables: Record<string, pulumi.Input<string>>;
}

/**
 * The variables the jobs of one environment read. Secrets are not declared here on purpose:
 * a secret managed by Pulumi would keep its value in the state; an administrator sets them
 * with `gh secret set --env` (stacks/githubGovernance.ts, ENVIRONMENT_SECRETS).
 */
export class ActionsEnvironmentSettings extends pulumi.ComponentResource {
    readonly variables: github.ActionsEnvironmentVariable[];

    constructor(name: string, args: ActionsEnvironmentSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:github:ActionsEnvironmentSettings", name, {}, opts);
        const suffix = (key: string) => key.toLowerCase().replace(/_/g, "-");
        this.variables = Object.entries(args.variables).map(
            ([variableName, value]) =>
                new github.ActionsEnvironmentVariable(
                    `${name}-${suffix(variableName)}`,
                    { repository: args.repository, environment: args.environment, variableName, value },
                    { parent: this },
                ),
        );
        this.registerOutputs({ variables: Object.keys(args.variables) });
    }
}
