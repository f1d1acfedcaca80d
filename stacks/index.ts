/**
 * Entry point of the Pulumi program (Pulumi.yaml `main: stacks/`). One stack per
 * environment; everything that differs between environments comes from the stack's
 * Pulumi.<stack>.yaml, read and validated once by ./config. The composition lives in
 * ./program.ts; this file only turns its result into stack outputs.
 */
import { declareStack } from "./program";

const outputs = declareStack();

// Exported promises are awaited by the Pulumi runtime; a rejection fails the program.
export const snowflake = outputs.then((o) => o.snowflake);
export const pipeline = outputs.then((o) => o.pipeline);
export const governance = outputs.then((o) => o.governance);
