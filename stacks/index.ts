/**
 * Entry point of the Pulumi program (Pulumi.yaml `main: stacks/`). One stack per
 * environment; everything that differs between environments comes from the stack's
 * Pulumi.<stack>.yaml, read and validated once by ./config.
 */
import * as pulumi from "@pulumi/pulumi";
import { readPlatformConfig } from "./config";
import { declareSnowflakePlatform, snowflakeOutputs } from "./snowflakePlatform";
import { declareGovernance, governanceOutputs } from "./governance";

const cfg = readPlatformConfig(pulumi.getStack());
const platform = declareSnowflakePlatform(cfg);

export const snowflake = snowflakeOutputs(platform);
export const governance = governanceOutputs(declareGovernance(cfg, platform));
