/** Shared helpers of the tests that evaluate the program under mocks. */
import { evaluateStack, Evaluation, EvaluateOptions, RecordedResource } from "../../tools/evaluate";
import { loadStackConfig } from "../../tools/stackConfig";
import { PROMOTION_ORDER } from "../../tools/environments";

export const STACKS = PROMOTION_ORDER;

const cache = new Map<string, Promise<Evaluation>>();

/** Evaluates a stack with its real stack file (cached per test file). */
export function evaluated(stack: string): Promise<Evaluation> {
    if (!cache.has(stack)) cache.set(stack, evaluateStack(stack));
    return cache.get(stack)!;
}

export function evaluateWith(stack: string, options: EvaluateOptions): Promise<Evaluation> {
    return evaluateStack(stack, options);
}

/** A stack's raw config values as the CLI would pass them (key without project prefix). */
export function stackValue(stack: string, key: string): string {
    const value = loadStackConfig(stack).values[`snowflake-mlops:${key}`];
    if (value === undefined) throw new Error(`Pulumi.${stack}.yaml has no ${key}`);
    return value;
}

export const ofType = (ev: Evaluation, type: string): RecordedResource[] => ev.resources.filter((r) => r.type === type);

/** The one resource of `type` whose input `name` is `name`; fails the test otherwise. */
export function named(ev: Evaluation, type: string, name: string): RecordedResource {
    const found = ofType(ev, type).filter((r) => r.inputs.name === name);
    if (found.length !== 1) throw new Error(`${ev.stack}: expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

export const T = {
    warehouse: "snowflake:index/warehouse:Warehouse",
    database: "snowflake:index/database:Database",
    schema: "snowflake:index/schema:Schema",
    table: "snowflake:index/table:Table",
    view: "snowflake:index/view:View",
    stage: "snowflake:index/stage:Stage",
    role: "snowflake:index/accountRole:AccountRole",
    grant: "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
    roleGrant: "snowflake:index/grantAccountRole:GrantAccountRole",
    procedure: "snowflake:index/procedurePython:ProcedurePython",
    task: "snowflake:index/task:Task",
    execute: "snowflake:index/execute:Execute",
    provider: "pulumi:providers:snowflake",
} as const;
