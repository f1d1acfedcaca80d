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
import { declareSnowflakeAccess, declareSnowflakePlatform, JobEnvironment, snowflakeOutputs } from "./snowflakePlatform";
import { declarePipeline, pipelineOutputs } from "./pipeline";
import { checkCostControl, declareGovernance, governanceOutputs } from "./governance";

/**
 * `environment`: the job's environment, which chooses the Snowflake identity (./identity.ts).
 * Asynchronous because the resource monitor, which the bootstrap owns, is checked through the
 * stack's provider before any other resource is declared (./governance.ts checkCostControl).
 */
export async function declareStack(stack: string = pulumi.getStack(), environment: JobEnvironment = process.env) {
    const cfg = readPlatformConfig(stack);
    const access = declareSnowflakeAccess(cfg, environment);
    const resourceMonitor = await checkCostControl(cfg, access);
    const platform = declareSnowflakePlatform(cfg, access);
    return {
        snowflake: snowflakeOutputs(platform),
        pipeline: pipelineOutputs(declarePipeline(cfg, platform)),
        governance: governanceOutputs(declareGovernance(cfg, platform, resourceMonitor)),
    };
}
