/**
 * Offline plan: what each stack declares, without credentials or the Pulumi CLI.
 *
 *   npm run plan -- <stack>...          resource tree, counts by type, longest chain
 *   npm run plan -- --all               the same for every stack, in promotion order
 *   npm run plan -- --diff <from> <to>  what promotion from one stack to another changes
 *   npm run plan -- --all --out DIR     full plans and promotion diffs written to DIR,
 *                                       one summary line per stack and promotion printed
 *   npm run plan -- --import <stack>    bulk-import file adopting an existing deployment (tools/adopt)
 *   npm run plan -- --import github     the same for the original's GitHub settings, into admin/github
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateStack } from "../evaluate";
import { PROMOTION_ORDER } from "../environments";
import { promotionDiff, renderDiff } from "./diff";
import { renderPlan, summaryLine } from "./render";
import { importMain } from "../adopt/cli";

const USAGE = "usage: npm run plan -- <stack>... | --all | --diff <from-stack> <to-stack>   (stacks: " + PROMOTION_ORDER.join(", ") + ")";
const HELP = [USAGE, "", "  <stack>...               resource tree, counts by type, longest chain", "  --all                    the same for every stack, in promotion order", "  --diff <from> <to>       what promotion from one stack to another changes", "  --all --out DIR          full plans and promotion diffs written to DIR", "  --import <stack> [...]   Pulumi bulk-import file adopting an existing deployment (docs/adopt-existing.md)", "  --import github [...]    the same for the original's GitHub settings, into admin/github (first)", "  --help                   this text"].join("\n");

export async function main(argv: string[]): Promise<string> {
    if (argv.includes("--help") || argv.includes("-h")) return HELP;
    if (argv[0] === "--import") return importMain(argv.slice(1));
    if (argv[0] === "--diff") {
        if (argv.length !== 3) throw new Error(USAGE);
        const from = await evaluateStack(checkStack(argv[1]));
        const to = await evaluateStack(checkStack(argv[2]));
        return renderDiff(promotionDiff(from, to));
    }
    const outAt = argv.indexOf("--out");
    let outDir: string | undefined;
    if (outAt >= 0) {
        outDir = argv[outAt + 1];
        if (!outDir) throw new Error(USAGE);
        argv = argv.filter((_, i) => i !== outAt && i !== outAt + 1);
    }
    const stacks = argv[0] === "--all" ? [...PROMOTION_ORDER] : argv.map(checkStack);
    if (stacks.length === 0) throw new Error(USAGE);
    if (outDir) return writePlans(stacks, outDir);
    const out: string[] = [];
    for (const stack of stacks) out.push(renderPlan(await evaluateStack(stack)));
    return out.join("\n\n" + "=".repeat(80) + "\n\n");
}

/** Writes each plan and each promotion diff to `dir`; returns one line per file. */
async function writePlans(stacks: string[], dir: string): Promise<string> {
    fs.mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    const evaluations = [];
    for (const stack of stacks) {
        const ev = await evaluateStack(stack);
        evaluations.push(ev);
        const file = path.join(dir, `${stack}.txt`);
        fs.writeFileSync(file, renderPlan(ev) + "\n");
        lines.push(`${summaryLine(ev)}  -> ${file}`);
    }
    for (let i = 1; i < evaluations.length; i++) {
        const diff = promotionDiff(evaluations[i - 1], evaluations[i]);
        const file = path.join(dir, `${diff.from}-to-${diff.to}.txt`);
        fs.writeFileSync(file, renderDiff(diff) + "\n");
        lines.push(`promotion ${diff.from} -> ${diff.to}: ${diff.onlyInFrom.length} resources only in ${diff.from}, ${diff.onlyInTo.length} only in ${diff.to}, ${diff.changes.length} settings differ  -> ${file}`);
    }
    return lines.join("\n");
}

function checkStack(stack: string): string {
    if (!(PROMOTION_ORDER as readonly string[]).includes(stack)) throw new Error(`Unknown stack "${stack}". ${USAGE}`);
    return stack;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (text) => console.log(text),
        (err) => {
            console.error(err instanceof Error ? err.message : String(err));
            process.exit(1);
        },
    );
}
