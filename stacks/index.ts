/**
 * Entry point of the Pulumi program (Pulumi.yaml `main: stacks/`). One stack per
 * environment; everything that differs between environments comes from the stack's
 * Pulumi.<stack>.yaml, read and validated once by ./config. The composition lives in
 * ./program.ts; this file only turns its result into stack outputs.
 */
import { declareStack } from "./program";

const outputs = declareStack();

export const snowflake = outputs.snowflake;
export const pipeline = outputs.pipeline;
export const governance = outputs.governance;
