/**
 * The whole program for one stack, as a function: stacks/index.ts calls it once under the
 * Pulumi CLI; the offline plan and the tests call it once per stack under mocks (without
 * reloading modules, which would be slow).
 *
 * GitHub governance is not part of it: an environment stack runs with that environment's
 * credentials only; admin/github declares the environments, protection and variables.
 */
import * as pulumi from "@pulumi/pulumi";
import { readPlatformConfig } from "./config";
import { declareSnowflakePlatform, snowflakeOutputs } from "./snowflakePlatform";
import { declarePipeline, pipelineOutputs } from "./pipeline";
import { declareGovernance, governanceOutputs } from "./governance";

export function declareStack(stack: string = pulumi.getStack()) {
    const cfg = readPlatformConfig(stack);
    const platform = declareSnowflakePlatform(cfg);
    return {
        snowflake: snowflakeOutputs(platform),
        pipeline: pipelineOutputs(declarePipeline(cfg, platform)),
        governance: governanceOutputs(declareGovernance(cfg, platform)),
    };
}
