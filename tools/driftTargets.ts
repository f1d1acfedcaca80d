/**
 * Prints the `--target` URN globs of the scheduled drift check, one per line: the resource
 * types the stack's read-only preview role can read back (infra/snowflake/previewAccess.ts,
 * DRIFT_CHECKED_TYPES, the single source of truth). .github/scripts/drift-check.sh calls it.
 *
 *   npx ts-node --transpile-only tools/driftTargets.ts <stack | org/stack>
 */
import * as fs from "fs";
import * as path from "path";
import { driftTargets } from "../infra/snowflake/previewAccess";

export function projectName(root = path.join(__dirname, "..")): string {
    const file = path.join(root, "Pulumi.yaml");
    const m = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(file, "utf8"));
    if (!m) throw new Error(`${file}: no top-level \`name:\` (the Pulumi project name the URNs carry)`);
    return m[1];
}

/** URNs carry the bare stack name; the backend wants `org/stack` (drift.yml passes that). */
export function targetsFor(stackRef: string): string[] {
    const stack = stackRef.split("/").pop() ?? "";
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Error(`driftTargets: stack ${JSON.stringify(stackRef)} is not <stack> or <org>/<stack>`);
    return driftTargets(stack, projectName());
}

if (require.main === module) {
    try {
        process.stdout.write(targetsFor(process.argv[2] ?? "").join("\n") + "\n");
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exit(2);
    }
}
