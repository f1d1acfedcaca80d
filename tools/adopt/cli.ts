/**
 * `npm run plan -- --import <stack> [--out FILE] [--exclude NAME,...] [--github-policy-id ENV:PATTERN=ID]`
 *
 * Evaluates the stack's program, holds it against the original system of its environment,
 * writes the bulk-import file for `pulumi import --file` and prints the adoption report.
 */
import * as fs from "fs";
import { evaluateStack } from "../evaluate";
import { PROMOTION_ORDER } from "../environments";
import { loadStackConfig } from "../stackConfig";
import { adoptionReport } from "./compare";
import { buildImportFile } from "./importFile";
import { renderReport } from "./render";
import { previewProblems } from "./previewCheck";

export const IMPORT_USAGE =
    "usage: npm run plan -- --import <stack> [--out <file>] [--exclude <resource name>,...] [--github-policy-id <environment>:<pattern>=<id>]" +
    " | --import <stack> --check-preview <pulumi preview --json output>   (stacks: " +
    PROMOTION_ORDER.join(", ") +
    ")";

export interface ImportOptions {
    stack: string;
    out: string;
    exclude: string[];
    deploymentPolicyIds: Record<string, string>;
    /** Check this `pulumi preview --json` output instead of writing the import file. */
    checkPreview?: string;
}

export function parseImportArgs(argv: string[]): ImportOptions {
    const [stack, ...rest] = argv;
    if (!stack || stack.startsWith("--")) throw new Error(IMPORT_USAGE);
    if (!(PROMOTION_ORDER as readonly string[]).includes(stack)) throw new Error(`Unknown stack "${stack}". ${IMPORT_USAGE}`);
    const options: ImportOptions = { stack, out: `import-${stack}.json`, exclude: [], deploymentPolicyIds: {} };
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, value] = [rest[i], rest[i + 1]];
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value. ${IMPORT_USAGE}`);
        if (flag === "--out") options.out = value;
        else if (flag === "--check-preview") options.checkPreview = value;
        else if (flag === "--exclude") options.exclude.push(...value.split(",").filter((s) => s !== ""));
        else if (flag === "--github-policy-id") {
            const m = /^([^=]+:[^=]+)=(\d+)$/.exec(value);
            if (!m) throw new Error(`--github-policy-id ${value}: expected <environment>:<pattern>=<numeric id>, e.g. production:main=123456`);
            options.deploymentPolicyIds[m[1]] = m[2];
        } else throw new Error(`Unknown option ${flag}. ${IMPORT_USAGE}`);
    }
    return options;
}

/** Writes the import file; returns the report to print. */
export async function importMain(argv: string[]): Promise<string> {
    const options = parseImportArgs(argv);
    if (options.checkPreview) return checkPreview(options.stack, options.checkPreview);
    const ev = await evaluateStack(options.stack);
    const repository = loadStackConfig(options.stack).values["snowflake-mlops:githubRepository"];
    const report = adoptionReport(ev, repository, { deploymentPolicyIds: options.deploymentPolicyIds });
    const unknown = options.exclude.filter((name) => !report.adopted.some((a) => a.resource.name === name && a.importId !== undefined));
    if (unknown.length > 0) throw new Error(`--exclude ${unknown.join(",")}: not an adopted resource of ${options.stack}; allowed: ${report.adopted.filter((a) => a.importId).map((a) => a.resource.name).join(", ")}`);
    // An excluded resource is created by the first `pulumi up` instead (the account lacks it).
    for (const a of report.adopted) if (options.exclude.includes(a.resource.name)) a.importId = undefined;
    for (const a of report.adopted) if (options.exclude.includes(a.resource.name)) a.note = "excluded with --exclude: created by the first pulumi up";
    const { file, notes } = buildImportFile(ev, report);
    fs.writeFileSync(options.out, JSON.stringify(file, null, 4) + "\n");
    const manual = report.adopted.filter((a) => a.importId !== undefined && a.original.certainty !== "script").map((a) => a.resource.name);
    if (manual.length > 0) notes.push(`set up by hand in the original (may be missing; leave out with --exclude ${manual.join(",")}): ${manual.join(", ")}`);
    return `${renderReport(report, notes)}\n\nWrote ${options.out}: ${file.resources.filter((r) => !r.component).length} resources to import (pulumi import --file ${options.out} --stack ${options.stack}).`;
}

/** Fails (listing every problem) when the preview would replace or drop anything holding data. */
function checkPreview(stack: string, file: string): string {
    let digest: unknown;
    try {
        digest = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`--check-preview ${file}: ${(err as { message?: string }).message ?? String(err)} (expected the output of pulumi preview --json --stack ${stack})`);
    }
    const problems = previewProblems(digest);
    if (problems.length > 0) throw new Error(`Do not run pulumi up on ${stack}: the preview would lose data:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return `${stack}: the preview replaces, deletes and drops nothing that holds data.`;
}
