/**
 * The gate between `pulumi import` and `pulumi up`: reads `pulumi preview --json` and fails
 * on any step that would lose data, whatever the cause (a value the inventory did not
 * foresee, a live object that drifted from the original scripts):
 * - a replacement or deletion of a database, schema, table, stage or dynamic table;
 * - an update that drops a column of a table (table.go UpdateTable drops the columns the
 *   resource no longer lists).
 *
 * Format: pulumi/pulumi v3.248.0 pkg/display/json.go (PreviewDigest.steps[] of
 * {op, urn, oldState, newState}); ops from pkg/resource/deploy/step.go.
 */
import { STATEFUL_TYPES } from "./forceNew";

/** Steps that remove the object they act on (pkg/resource/deploy/step.go StepOp values). */
const LOSING_OPS = new Set(["replace", "create-replacement", "delete-replaced", "delete", "discard-replaced", "import-replacement"]);

interface PreviewStep {
    op: string;
    urn: string;
    oldState?: { type?: string; inputs?: Record<string, any>; outputs?: Record<string, any> };
    newState?: { type?: string; inputs?: Record<string, any> };
    replaceReasons?: string[];
}

const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;
const columnNames = (cols: unknown) => (Array.isArray(cols) ? cols.map((c: { name: string }) => c.name) : []);

/** Problems found in a preview digest (the parsed output of `pulumi preview --json`). */
export function previewProblems(digest: unknown): string[] {
    if (digest === null || typeof digest !== "object" || !Array.isArray((digest as { steps?: unknown }).steps)) {
        throw new Error("not the output of pulumi preview --json: expected an object with a steps array");
    }
    const problems: string[] = [];
    for (const step of (digest as { steps: PreviewStep[] }).steps) {
        const type = typeOf(step.urn);
        if (!(STATEFUL_TYPES as readonly string[]).includes(type)) continue;
        const name = step.urn.split("::").pop();
        if (LOSING_OPS.has(step.op)) {
            problems.push(`${step.op} of ${type} ${name}${step.replaceReasons?.length ? ` (because of ${step.replaceReasons.join(", ")})` : ""}: it would drop what the object holds`);
        }
        if (step.op === "update" && type === "snowflake:index/table:Table") {
            const before = columnNames(step.oldState?.outputs?.columns ?? step.oldState?.inputs?.columns);
            const after = new Set(columnNames(step.newState?.inputs?.columns));
            const dropped = before.filter((c) => !after.has(c));
            if (dropped.length > 0) problems.push(`update of table ${name} drops column(s) ${dropped.join(", ")} and their data`);
        }
    }
    return problems;
}
