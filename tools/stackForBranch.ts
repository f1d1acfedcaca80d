/**
 * Prints the stack (its GitHub environment, and its read-only preview environment) a branch deploys to, as `key=value`
 * lines for $GITHUB_OUTPUT. The workflows call this instead of spelling the branch
 * mapping themselves, so tools/environments.ts stays its single source of truth.
 *
 *   npx ts-node --transpile-only tools/stackForBranch.ts <branch> [--deploy]
 *
 * Without --deploy (pull-request previews) any other branch previews against dev, the
 * first stack; with --deploy a branch that deploys no stack is an error, never dev.
 */
import { branchMatches, environmentTable, EnvironmentRow, stackForBranch } from "./environments";
import { previewEnvironmentName } from "../stacks/githubGovernance";

export function routeBranch(branch: string, deploy: boolean, table = environmentTable()): EnvironmentRow {
    const ref = branch.replace(/^refs\/heads\//, "");
    if (deploy && !table.some((row) => branchMatches(row.deployBranch, ref))) {
        throw new Error(`Branch ${ref} deploys no stack; deploy branches: ${table.map((r) => `${r.deployBranch} -> ${r.stack}`).join(", ")}`);
    }
    return stackForBranch(ref, table);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const branch = args.find((a) => !a.startsWith("--"));
    if (!branch) {
        console.error("usage: stackForBranch.ts <branch> [--deploy]");
        process.exit(2);
    }
    try {
        const row = routeBranch(branch, args.includes("--deploy"));
        console.log(`stack=${row.stack}`);
        console.log(`environment=${row.githubEnvironment}`);
        console.log(`preview-environment=${previewEnvironmentName(row.stack)}`);
    } catch (err) {
        console.error((err as Error).message);
        process.exit(1);
    }
}
