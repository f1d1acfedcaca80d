/**
 * Bad GitHub governance input fails with a message naming the key and the stack file.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { overlappingStacks } from "../tools/environments";
import { evaluateWith } from "./support/stacks";

const ROOT = path.resolve(__dirname, "..");

/** The message a stack fails with (config errors are raised before any resource is registered). */
async function failure(stack: string, overrides: Record<string, unknown>): Promise<string> {
    return evaluateWith(stack, { overrides }).then(
        () => "no error",
        (err: Error & { registeredResources?: unknown[] }) => {
            expect(err.registeredResources ?? []).toEqual([]);
            return err.message;
        },
    );
}

describe("production reviewers below the minimum", () => {
    test("one user and no team", async () => {
        const message = await failure("prd", { productionReviewerUsers: ["ml-lead"], productionReviewerTeams: [] });
        expect(message).toContain("Invalid configuration in Pulumi.prd.yaml");
        expect(message).toContain("snowflake-mlops:productionReviewerUsers: 1 user(s) and 0 team(s) may approve production; allowed: at least two users or one team");
    });

    test("two users without a team, or one team without users, are enough", async () => {
        expect(await failure("prd", { productionReviewerTeams: [] })).toBe("no error");
        expect(await failure("prd", { productionReviewerUsers: [] })).toBe("no error");
    });
});

describe("a branch pattern that is not the stack's", () => {
    test.each([
        ["sit", "main", "prd"],
        ["uat", "feature/**", "dev"],
        ["dev", "release/*", "uat"],
        ["uat", "main", "prd"],
        ["prd", "release/**", "uat"],
    ])("%s with deployBranch %s overlaps %s", async (stack, branch, others) => {
        const message = await failure(stack, { deployBranch: branch });
        expect(message).toContain(`Invalid configuration in Pulumi.${stack}.yaml`);
        expect(message).toContain(`snowflake-mlops:deployBranch: "${branch}" overlaps the deploy branch of stack ${others}`);
    });

    test.each(["**", "release/**/x", "rel*", "feature/[a-z]*", "feature/.x"])("%s has a shape GitHub's two pattern languages cannot agree on", async (branch) => {
        const message = await failure("uat", { deployBranch: branch });
        expect(message).toContain(`snowflake-mlops:deployBranch: "${branch}" is not a branch name (e.g. main), or path segments ending in /* (exactly one more segment, e.g. feature/*) or /** (any depth, e.g. release/**)`);
    });

    test("a production environment outside PRD, or PRD without it", async () => {
        expect(await failure("uat", { githubEnvironment: "production", productionReviewerTeams: ["ml-platform-approvers"] })).toContain(
            'snowflake-mlops:githubEnvironment: "production" in UAT; allowed: "production" in PRD and only there',
        );
        expect(await failure("prd", { githubEnvironment: "prd" })).toContain('snowflake-mlops:githubEnvironment: "prd" in PRD');
    });

    test("overlap detection", () => {
        const table = [
            { stack: "dev" as const, env: "DEV", deployBranch: "feature/**", githubEnvironment: "dev", requiredApprovals: 0 },
            { stack: "prd" as const, env: "PRD", deployBranch: "main", githubEnvironment: "production", requiredApprovals: 2 },
        ];
        expect(overlappingStacks("sit", "development", table)).toEqual([]);
        expect(overlappingStacks("sit", "feature/*", table)).toEqual(["dev"]);
        expect(overlappingStacks("sit", "feature/x/**", table)).toEqual(["dev"]);
        expect(overlappingStacks("sit", "m*", table)).toEqual(["prd"]);
        expect(overlappingStacks("sit", "features/**", table)).toEqual([]);
        expect(overlappingStacks("dev", "feature/**", table)).toEqual([]);
    });
});

/**
 * A failed GitHub lookup rejects asynchronously; the Pulumi CLI reports it through its
 * unhandled-rejection handler. Jest would fail whichever test is running, so the stack is
 * evaluated in a child process that reports the same way the CLI does.
 */
function evaluateWithUnknown(stack: string, unknown: string[]): { status: number | null; output: string } {
    const script = `
        const { evaluateStack, defaultCall } = require("./tools/evaluate");
        const { ADMIN_PROJECT, declareAdminGithub } = require("./admin/github/program");
        const { adminConfig } = require("./test/support/adminGithub");
        const unknown = ${JSON.stringify(unknown)};
        process.on("unhandledRejection", (err) => { console.error("FAILED " + err.message); process.exit(3); });
        evaluateStack(${JSON.stringify(stack)}, {
            program: { project: ADMIN_PROJECT, config: adminConfig(), run: () => declareAdminGithub() },
            call: (token, inputs) => {
                if (unknown.includes(inputs.username) || unknown.includes(inputs.slug)) throw new Error("GET /users: 404 Not Found");
                return defaultCall(token, inputs);
            },
        }).then(() => setTimeout(() => { console.log("OK"); process.exit(0); }, 300), (err) => { console.error("REJECTED " + err.message); process.exit(4); });
    `;
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 50_000 });
    return { status: result.status, output: result.stdout + result.stderr };
}

describe("an unknown reviewer", () => {
    test("unknown user names productionReviewerUsers and the login", () => {
        const { status, output } = evaluateWithUnknown("prd", ["platform-lead"]);
        expect(status).toBe(3);
        expect(output).toContain("Invalid configuration in Pulumi.prd.yaml");
        expect(output).toContain("snowflake-mlops:productionReviewerUsers: GitHub user platform-lead cannot be resolved");
    });

    test("unknown team names productionReviewerTeams and the slug", () => {
        const { status, output } = evaluateWithUnknown("prd", ["ml-platform-approvers"]);
        expect(status).toBe(3);
        expect(output).toContain("snowflake-mlops:productionReviewerTeams: GitHub team ml-platform-approvers cannot be resolved");
    });

    test("all reviewers known: no failure", () => {
        expect(evaluateWithUnknown("prd", [])).toEqual({ status: 0, output: "OK\n" });
    });
});
