/**
 * GitHub reads the same deploy branch in two pattern languages (infra/github/branchPatterns.ts):
 * the workflow filter decides which push starts deploy.yml, Ruby fnmatch with FNM_PATHNAME
 * decides whether the environment admits the job and whether the branch is protected. For a
 * table of branch names, nested ones included, every branch that starts a deploy job must be
 * admitted by that environment's policy, protected when the stack requires approvals, and
 * reach exactly one stack.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { filterMatches, fnmatchPathname, fnmatchPattern } from "../infra/github/branchPatterns";
import { environmentTable } from "../tools/environments";
import { routeBranch } from "../tools/stackForBranch";
import { evaluatedAdmin } from "./support/adminGithub";

const ROOT = path.resolve(__dirname, "..");
const deploy: any = yaml.load(fs.readFileSync(path.join(ROOT, ".github", "workflows", "deploy.yml"), "utf8"));
const table = environmentTable();

describe("Ruby File.fnmatch with FNM_PATHNAME", () => {
    // Examples of the Ruby documentation of File.fnmatch (FNM_PATHNAME rows) and GitHub's
    // ("qa/*" matches one slash, "qa/**" + "/*" several; "release/*" + "/*" in the REST API docs).
    test.each([
        ["*", "dave/.profile", false],
        ["**/foo", "a/b/c/foo", true],
        ["**/foo", "foo", true],
        ["**/foo", "a/.b/c/foo", false],
        ["*/foo", "a/b/foo", false],
        ["c?t", "cat", true],
        ["c[a-c]t", "cbt", true],
        ["c[!a]t", "cat", false],
        ["qa/*", "qa/one", true],
        ["qa/*", "qa/one/two", false],
        ["qa/**/*", "qa/one/two", true],
        ["qa/**/*", "qa/one", true],
        ["release/*/*", "release/2025.01/hotfix", true],
        // The defect of issue 12: `release/**` as a policy admits no nested branch.
        ["release/**", "release/1.4", true],
        ["release/**", "release/2025.01/hotfix", false],
    ])("fnmatch(%s, %s) = %s", (pattern, name, expected) => {
        expect(fnmatchPathname(pattern, name)).toBe(expected);
    });
});

describe("workflow filter globs", () => {
    // GitHub's filter pattern cheat sheet.
    test.each([
        ["feature/*", "feature/my-branch", true],
        ["feature/*", "feature/your/branch", false],
        ["feature/**", "feature/your/branch", true],
        ["feature/**", "feature/x", true],
        ["main", "main", true],
        ["main", "mainline", false],
        ["v2*", "v2.0", true],
        ["*feature", "mona-feature", true],
    ])("filter(%s, %s) = %s", (pattern, name, expected) => {
        expect(filterMatches(pattern, name)).toBe(expected);
    });

    test("the derived policy pattern admits exactly what the filter triggers on", () => {
        expect(fnmatchPattern("release/**")).toBe("release/**/*");
        expect(fnmatchPattern("feature/*")).toBe("feature/*");
        expect(fnmatchPattern("main")).toBe("main");
        expect(() => fnmatchPattern("rel*/**")).toThrow('Branch pattern "rel*/**" is not supported');
    });
});

/** Branch names a team uses, and names that must deploy nothing. */
const BRANCHES: [string, string | null][] = [
    ["main", "prd"],
    ["development", "sit"],
    ["release/1.4", "uat"],
    ["release/2025.01/hotfix", "uat"],
    ["release/2025/01/hotfix-2", "uat"],
    ["feature/churn-features", "dev"],
    ["feature/team-a/churn", "dev"],
    ["feature/team-a/sub/topic", "dev"],
    ["mainline", null],
    ["main-hotfix", null],
    ["development2", null],
    ["hotfix/x", null],
    ["release", null],
    ["feature", null],
    ["releases/1.4", null],
    ["users/main", null],
    ["feature-x", null],
];

describe.each(BRANCHES)("a push to %s", (branch, stack) => {
    const filters: string[] = deploy.on.push.branches;
    const triggers = filters.some((f) => filterMatches(f, branch));

    test(stack ? `starts deploy.yml and routes to ${stack} only` : "starts no deploy", () => {
        expect(triggers).toBe(stack !== null);
        if (stack) expect(routeBranch(branch, true).stack).toBe(stack);
        else expect(() => routeBranch(branch, true)).toThrow(`Branch ${branch} deploys no stack`);
    });

    test("is admitted by its environment's deployment policy, and by no other environment's", async () => {
        const ev = await evaluatedAdmin();
        const policies = ev.resources.filter((r) => r.type === "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
        expect(policies).toHaveLength(table.length);
        const admitting = policies.filter((p) => fnmatchPathname(p.inputs.branchPattern, branch)).map((p) => p.inputs.environment);
        const expected = stack ? [table.find((r) => r.stack === stack)!.githubEnvironment] : [];
        expect(admitting).toEqual(expected);
    });

    test("is protected when its stack requires approvals", async () => {
        const ev = await evaluatedAdmin();
        const protections = ev.resources.filter((r) => r.type === "github:index/branchProtection:BranchProtection");
        const protecting = protections.filter((p) => fnmatchPathname(p.inputs.pattern, branch));
        const row = table.find((r) => r.stack === stack);
        if (row && row.requiredApprovals > 0) {
            expect(protecting).toHaveLength(1);
            expect(protecting[0].inputs.requiredPullRequestReviews[0].requiredApprovingReviewCount).toBe(row.requiredApprovals);
        } else {
            // dev's feature branches are unprotected by design (requiredApprovals 0); others deploy nothing.
            expect(protecting).toEqual([]);
        }
    });
});

test("the table covers every stack, nested names for every wildcard pattern", () => {
    for (const row of table) {
        const names = BRANCHES.filter(([, s]) => s === row.stack).map(([b]) => b);
        expect(names.length).toBeGreaterThan(0);
        if (row.deployBranch.includes("*")) expect(names.some((b) => b.split("/").length > 2)).toBe(true);
    }
});
