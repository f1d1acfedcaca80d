/**
 * `npm run plan -- --import <stack> [--out FILE] [--exclude NAME,...]`
 * `npm run plan -- --import github [--out FILE] [--exclude NAME,...] [--github-policy-id ENV:PATTERN=ID]`
 *
 * Evaluates the stack's program (an environment stack's, or for `github` the administrator's
 * project admin/github), holds it against the original system (the environment's Snowflake
 * objects, or the GitHub settings of every environment), writes the bulk-import file for
 * `pulumi import --file` and prints the adoption report.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateStack, Evaluation } from "../evaluate";
import { PROMOTION_ORDER } from "../environments";
import { loadStackConfig } from "../stackConfig";
import { ADMIN_DIR, ADMIN_STACK, evaluateAdminGithub } from "../adminGithub";
import { adoptionReport, AdoptionReport, githubAdoptionReport } from "./compare";
import { buildImportFile } from "./importFile";
import { renderReport } from "./render";
import { previewProblems } from "./previewCheck";

const IMPORT_STACKS = [ADMIN_STACK, ...PROMOTION_ORDER];

export const IMPORT_USAGE =
    "usage: npm run plan -- --import <stack> [--out <file>] [--exclude <resource name>,...]" +
    " | --import github [--out <file>] [--exclude <resource name>,...] [--github-policy-id <environment>:<pattern>=<id>]" +
    " | --import <stack> --check-preview <pulumi preview --json output>   (stacks: " +
    IMPORT_STACKS.join(", ") +
    "; github = the GitHub settings of every environment, adopted by admin/github before any environment)";

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
    if (!IMPORT_STACKS.includes(stack)) throw new Error(`Unknown stack "${stack}". ${IMPORT_USAGE}`);
    const options: ImportOptions = { stack, out: `import-${stack}.json`, exclude: [], deploymentPolicyIds: {} };
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, value] = [rest[i], rest[i + 1]];
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value. ${IMPORT_USAGE}`);
        if (flag === "--out") options.out = value;
        else if (flag === "--check-preview") options.checkPreview = value;
        else if (flag === "--exclude") options.exclude.push(...value.split(",").filter((s) => s !== ""));
        else if (flag === "--github-policy-id") {
            if (stack !== ADMIN_STACK) throw new Error(`--github-policy-id: only with --import ${ADMIN_STACK} (stack ${stack} declares no GitHub resource; admin/github declares them all). ${IMPORT_USAGE}`);
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
    const { report, ev } = await evaluateAndCompare(options.stack, options.deploymentPolicyIds);
    const unknown = options.exclude.filter((name) => !report.adopted.some((a) => a.resource.name === name && a.importId !== undefined));
    if (unknown.length > 0) throw new Error(`--exclude ${unknown.join(",")}: not an adopted resource of ${options.stack}; allowed: ${report.adopted.filter((a) => a.importId).map((a) => a.resource.name).join(", ")}`);
    // An excluded resource is created by the first `pulumi up` instead (the account lacks it).
    for (const a of report.adopted) if (options.exclude.includes(a.resource.name)) a.importId = undefined;
    for (const a of report.adopted) if (options.exclude.includes(a.resource.name)) a.note = "excluded with --exclude: created by the first pulumi up";
    const { file, notes } = buildImportFile(ev, report);
    fs.writeFileSync(options.out, JSON.stringify(file, null, 4) + "\n");
    const manual = report.adopted.filter((a) => a.importId !== undefined && a.original.certainty !== "script").map((a) => a.resource.name);
    if (manual.length > 0) notes.push(`set up by hand in the original (may be missing; leave out with --exclude ${manual.join(",")}): ${manual.join(", ")}`);
    const count = file.resources.filter((r) => !r.component).length;
    // pulumi import runs in the project's directory: admin/github has its own Pulumi.yaml.
    const command = options.stack === ADMIN_STACK ? `cd ${path.relative(process.cwd(), ADMIN_DIR) || "."} && pulumi import --file ${path.resolve(options.out)} --stack ${ADMIN_STACK}` : `pulumi import --file ${options.out} --stack ${options.stack}`;
    return `${renderReport(report, notes)}\n\nWrote ${options.out}: ${count} resources to import (${command}).`;
}

/**
 * The report of `stack`: an environment stack against its environment's original objects, or
 * admin/github against the GitHub objects of every environment (the repository is the one the
 * stack files name; admin/github refuses stack files that name different ones).
 */
export async function evaluateAndCompare(stack: string, deploymentPolicyIds: Record<string, string> = {}): Promise<{ ev: Evaluation; report: AdoptionReport }> {
    if (stack === ADMIN_STACK) {
        const ev = await evaluateAdminGithub();
        const repository = loadStackConfig(PROMOTION_ORDER[0]).values["snowflake-mlops:githubRepository"];
        return { ev, report: githubAdoptionReport(ev, repository, { deploymentPolicyIds }) };
    }
    const ev = await evaluateStack(stack);
    const repository = loadStackConfig(stack).values["snowflake-mlops:githubRepository"];
    return { ev, report: adoptionReport(ev, repository) };
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
