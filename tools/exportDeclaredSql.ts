/**
 * Writes what each stack declares in Snowflake, as JSON, for the SQL checks in test/sql:
 * every resource the program registers (type, name, inputs — view statements, task
 * sqlStatements, dynamic-table queries, alert conditions and actions, Execute statements,
 * procedure definitions, table columns — parent and dependencies) plus the stack's
 * configuration values, one file per stack.
 *
 *   npx ts-node --transpile-only tools/exportDeclaredSql.ts OUT_DIR [stack...]
 *
 * All stacks are evaluated in one process (the program is loaded afresh for each), so the
 * cost of starting Node and loading the SDK is paid once.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateStack, RecordedResource, SECRET_PLACEHOLDER } from "./evaluate";
import { PROMOTION_ORDER } from "./environments";
import { loadStackConfig } from "./stackConfig";

export interface DeclaredStack {
    stack: string;
    /** Non-secret configuration (`project:key` → raw string), as the CLI would pass it. */
    config: Record<string, string>;
    resources: Pick<RecordedResource, "urn" | "type" | "name" | "custom" | "inputs" | "parent" | "dependencies">[];
}

/** Secrets never leave the process: the evaluation only holds placeholders, but be strict. */
function withoutSecrets(inputs: Record<string, any>): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [key, value] of Object.entries(inputs)) out[key] = /privateKey|password|token/i.test(key) ? SECRET_PLACEHOLDER : value;
    return out;
}

export async function exportStack(stack: string): Promise<DeclaredStack> {
    const ev = await evaluateStack(stack);
    const { values, secretKeys } = loadStackConfig(stack);
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) if (!secretKeys.includes(key)) config[key] = value;
    return {
        stack,
        config,
        resources: ev.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            inputs: withoutSecrets(r.inputs),
            parent: r.parent,
            dependencies: r.dependencies,
        })),
    };
}

async function main(argv: string[]): Promise<void> {
    const [outDir, ...requested] = argv;
    if (!outDir) throw new Error(`usage: npx ts-node --transpile-only tools/exportDeclaredSql.ts OUT_DIR [stack...]  (stacks: ${PROMOTION_ORDER.join(", ")})`);
    const stacks = requested.length > 0 ? requested : [...PROMOTION_ORDER];
    for (const s of stacks) if (!(PROMOTION_ORDER as readonly string[]).includes(s)) throw new Error(`unknown stack ${s}; allowed: ${PROMOTION_ORDER.join(", ")}`);
    fs.mkdirSync(outDir, { recursive: true });
    for (const stack of stacks) {
        const declared = await exportStack(stack);
        const file = path.join(outDir, `${stack}.json`);
        fs.writeFileSync(file, JSON.stringify(declared, null, 1) + "\n");
        console.log(`${stack}: ${declared.resources.length} resources -> ${file}`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
