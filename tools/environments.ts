/**
 * The environment table (SPEC §2) as the stack files declare it, and the promotion order.
 * The program reads its own stack's values through Pulumi config; everything else that
 * needs the table (workflows' branch mapping, the plan, the tests, the docs) reads it here.
 */
import { readStackFile, REPO_ROOT } from "./stackConfig";
import { filterMatches } from "../infra/github/branchPatterns";

/** Promotion order: each stack is promoted to the next. The stack files must exist. */
export const PROMOTION_ORDER = ["dev", "sit", "uat", "prd"] as const;
export type StackName = (typeof PROMOTION_ORDER)[number];

export interface EnvironmentRow {
    stack: StackName;
    env: string;
    deployBranch: string;
    githubEnvironment: string;
    requiredApprovals: number;
}

export function environmentTable(root = REPO_ROOT): EnvironmentRow[] {
    return PROMOTION_ORDER.map((stack) => {
        const c = readStackFile(stack, root);
        const get = (k: string) => {
            const value = c[`snowflake-mlops:${k}`];
            if (value === undefined) throw new Error(`Pulumi.${stack}.yaml: snowflake-mlops:${k} is missing`);
            return value;
        };
        return {
            stack,
            env: String(get("env")),
            deployBranch: String(get("deployBranch")),
            githubEnvironment: String(get("githubEnvironment")),
            requiredApprovals: Number(get("requiredApprovals")),
        };
    });
}

/**
 * The deploy branch of each stack whose file sets one, never throwing: for checks of one
 * stack against the others, where another file's problem is reported when that stack runs.
 */
export function deployBranchTable(root = REPO_ROOT): Pick<EnvironmentRow, "stack" | "deployBranch">[] {
    return PROMOTION_ORDER.flatMap((stack) => {
        let branch: unknown;
        try {
            branch = readStackFile(stack, root)["snowflake-mlops:deployBranch"];
        } catch {
            return [];
        }
        return typeof branch === "string" ? [{ stack, deployBranch: branch }] : [];
    });
}

/**
 * GitHub workflow-filter matching (`on.push.branches`), the language of `deployBranch`: which
 * branches trigger the deploy workflow. Environments and branch protection read the derived
 * `fnmatchPattern` instead (infra/github/branchPatterns.ts explains the two languages).
 */
export function branchMatches(pattern: string, branch: string): boolean {
    return filterMatches(pattern, branch);
}

/**
 * The stack a branch deploys to: the stack whose deploy branch matches; `dev` (the first
 * stack) for any other branch, so a pull request into a feature branch still previews.
 */
export function stackForBranch(branch: string, table = environmentTable()): EnvironmentRow {
    const matches = table.filter((row) => branchMatches(row.deployBranch, branch));
    if (matches.length > 1) throw new Error(`Branch ${branch} matches the deploy branches of ${matches.map((m) => m.stack).join(", ")}`);
    return matches[0] ?? table[0];
}

/** A branch name the pattern matches (each wildcard replaced by one path segment). */
function exampleBranch(pattern: string): string {
    return pattern.replace(/\*\*/g, "x").replace(/\*/g, "x");
}

/**
 * The other stacks whose deploy branch overlaps `pattern` (a branch both would match), so
 * a push there would deploy two stacks. Exact for the literal and prefix patterns the
 * stack files use (`main`, `release/**`); for exotic globs it finds the usual overlaps.
 */
export function overlappingStacks(stack: string, pattern: string, table: Pick<EnvironmentRow, "stack" | "deployBranch">[] = deployBranchTable()): StackName[] {
    return table
        .filter((row) => row.stack !== stack)
        .filter((row) => row.deployBranch === pattern || branchMatches(row.deployBranch, exampleBranch(pattern)) || branchMatches(pattern, exampleBranch(row.deployBranch)))
        .map((row) => row.stack);
}
