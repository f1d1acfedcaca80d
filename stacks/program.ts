/**
 * The whole program for one stack, as a function: stacks/index.ts calls it once under the
 * Pulumi CLI; the offline plan and the tests call it once per stack under mocks (without
 * reloading modules, which would be slow).
 */
import * as pulumi from "@pulumi/pulumi";
import { readPlatformConfig } from "./config";
import { declareSnowflakePlatform, snowflakeOutputs } from "./snowflakePlatform";
import { declarePipeline, pipelineOutputs } from "./pipeline";
import { declareGovernance, governanceOutputs } from "./governance";
import { declareGithubGovernance, githubOutputs, validateGithubGovernanceConfig } from "./githubGovernance";

export function declareStack(stack: string = pulumi.getStack()) {
    const cfg = readPlatformConfig(stack);
    // Checks that need the other stacks' files; before any resource, like the rest.
    validateGithubGovernanceConfig(cfg);
    const platform = declareSnowflakePlatform(cfg);
    return {
        snowflake: snowflakeOutputs(platform),
        pipeline: pipelineOutputs(declarePipeline(cfg, platform)),
        governance: governanceOutputs(declareGovernance(cfg, platform)),
        github: githubOutputs(declareGithubGovernance(cfg)),
    };
}
