/** The administrator's GitHub program as a function, for the CLI (./index.ts) and the tests. */
import * as pulumi from "@pulumi/pulumi";
import { declareGithubGovernance, githubOutputs } from "../../stacks/githubGovernance";
import { allStackConfigs } from "../../tools/githubSettings";

export const ADMIN_PROJECT = "snowflake-mlops-github";

export function declareAdminGithub(overrides: Partial<Record<string, Record<string, unknown>>> = {}) {
    const config = new pulumi.Config(ADMIN_PROJECT);
    const backend = { url: config.require("pulumiBackendUrl"), organization: config.require("pulumiOrganization") };
    return githubOutputs(declareGithubGovernance(allStackConfigs(overrides), backend));
}
