import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";

export interface ActionsEnvironmentSettingsArgs {
    /** Repository name (without owner). */
    repository: pulumi.Input<string>;
    /** GitHub environment the values belong to; jobs see them only when they run in it. */
    environment: pulumi.Input<string>;
    /** Plain Actions variables (`vars.NAME`), by name. */
    variables: Record<string, pulumi.Input<string>>;
    /** Actions secrets (`secrets.NAME`), by name; each value is kept a Pulumi secret. */
    secrets: Record<string, pulumi.Input<string>>;
}

/** The variables and secrets a deploy job of one environment reads. */
export class ActionsEnvironmentSettings extends pulumi.ComponentResource {
    readonly variables: github.ActionsEnvironmentVariable[];
    readonly secrets: github.ActionsEnvironmentSecret[];

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
        this.secrets = Object.entries(args.secrets).map(
            ([secretName, value]) =>
                new github.ActionsEnvironmentSecret(
                    `${name}-${suffix(secretName)}`,
                    // pulumi.secret: the value stays encrypted in state and masked in output,
                    // even if a caller passes a plain string.
                    { repository: args.repository, environment: args.environment, secretName, plaintextValue: pulumi.secret(value) },
                    { parent: this },
                ),
        );
        this.registerOutputs({
            variables: Object.keys(args.variables),
            secrets: Object.keys(args.secrets),
        });
    }
}
