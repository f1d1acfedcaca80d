/**
 * GitHub governance of every environment (SPEC §6), declared by the administrator-only
 * program admin/github and evaluated under mocks from the real stack files.
 */
import { mockNumericId, RecordedResource } from "../tools/evaluate";
import { environmentTable } from "../tools/environments";
import { evaluated, STACKS } from "./support/stacks";
import { evaluateAdmin, evaluatedAdmin } from "./support/adminGithub";
import { ENVIRONMENT_SECRETS, previewEnvironmentName } from "../stacks/githubGovernance";
import { formatViolations, mandatory, policyConfigFor, runPolicies } from "../policy/runner";
import { POLICIES } from "../policy/policies";

const G = {
    provider: "pulumi:providers:github",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    branchPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    protection: "github:index/branchProtection:BranchProtection",
    variable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
};

const FAKE_TOKEN = "ghp_fakeTokenForTests0123456789";

const EXPECTED = {
    dev: { environment: "dev", policy: "feature/**/*", env: "DEV" },
    sit: { environment: "sit", policy: "development", env: "SIT" },
    uat: { environment: "uat", policy: "release/**/*", env: "UAT" },
    prd: { environment: "production", policy: "main", env: "PRD" },
} as const;

const ofType = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type);
const env = (resources: RecordedResource[], name: string) => {
    const found = ofType(resources, G.environment).filter((r) => r.inputs.environment === name);
    if (found.length !== 1) throw new Error(`expected one environment ${name}, found ${found.length}`);
    return found[0];
};
const variablesOf = (resources: RecordedResource[], environment: string) =>
    Object.fromEntries(ofType(resources, G.variable).filter((r) => r.inputs.environment === environment).map((r) => [r.inputs.variableName, r.inputs.value]));

describe("the environment stacks hold no GitHub resource and no GitHub token", () => {
    test.each(STACKS)("%s", async (stack) => {
        const ev = await evaluated(stack);
        expect(ev.resources.filter((r) => r.type.startsWith("github:") || r.type === G.provider)).toEqual([]);
    });
});

describe("admin/github", () => {
    test("one github provider for the owner; the token never becomes an input (state)", async () => {
        process.env.GITHUB_TOKEN = FAKE_TOKEN;
        try {
            const ev = await evaluateAdmin();
            const providers = ofType(ev.resources, G.provider);
            expect(providers).toHaveLength(1);
            expect(providers[0].inputs.owner).toBe("example-org");
            expect(providers[0].inputs).not.toHaveProperty("token");
            expect(JSON.stringify(ev.resources)).not.toContain(FAKE_TOKEN);
            for (const r of ev.resources.filter((x) => x.type.startsWith("github:"))) expect(r.provider).toBe(providers[0].urn);
            expect(process.env.GITHUB_TOKEN).toBe(FAKE_TOKEN);
        } finally {
            delete process.env.GITHUB_TOKEN;
        }
    });

    test("no Actions secret is managed by Pulumi (their values would be in the state)", async () => {
        const ev = await evaluatedAdmin();
        expect(ev.resources.filter((r) => /actions.*Secret/i.test(r.type))).toEqual([]);
        expect(ENVIRONMENT_SECRETS).toEqual(["SNOWFLAKE_PRIVATE_KEY"]);
    });

    describe.each(STACKS)("stack %s", (stack) => {
        const expected = EXPECTED[stack];

        test("deploy environment admits only the stack's branch, in fnmatch syntax", async () => {
            const ev = await evaluatedAdmin();
            const e = env(ev.resources, expected.environment);
            expect(e.inputs.deploymentBranchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
            expect(e.inputs.canAdminsBypass).toBe(false);
            const policies = ofType(ev.resources, G.branchPolicy).filter((p) => p.inputs.environment === expected.environment);
            expect(policies.map((p) => p.inputs)).toEqual([{ repository: "snowflake-mlops", environment: expected.environment, branchPattern: expected.policy }]);
        });

        test("read-only preview environment: any branch, the preview identity", async () => {
            const ev = await evaluatedAdmin();
            const name = previewEnvironmentName(stack);
            const e = env(ev.resources, name);
            expect(e.inputs.deploymentBranchPolicy).toBeUndefined();
            expect(ofType(ev.resources, G.branchPolicy).filter((p) => p.inputs.environment === name)).toEqual([]);
            expect(variablesOf(ev.resources, name)).toEqual({
                PULUMI_BACKEND_URL: "https://api.pulumi.com",
                PULUMI_ORGANIZATION: "example-org",
                PULUMI_TEAM: `snowflake-mlops-${stack}-preview`,
                PULUMI_STACK: stack,
                SNOWFLAKE_ORGANIZATION_NAME: "EXAMPLE_ORG",
                SNOWFLAKE_ACCOUNT_NAME: "ML_PLATFORM",
                SNOWFLAKE_USER: `PULUMI_${expected.env}_PREVIEW_USER`,
                SNOWFLAKE_ROLE: `PULUMI_${expected.env}_PREVIEW_ROLE`,
                SNOWFLAKE_WAREHOUSE: `PULUMI_${expected.env}_WH`,
            });
        });

        test("deploy environment variables: the environment's own deploy identity and Pulumi team", async () => {
            const ev = await evaluatedAdmin();
            expect(variablesOf(ev.resources, expected.environment)).toEqual({
                PULUMI_BACKEND_URL: "https://api.pulumi.com",
                PULUMI_ORGANIZATION: "example-org",
                PULUMI_TEAM: `snowflake-mlops-${stack}-deploy`,
                PULUMI_STACK: stack,
                SNOWFLAKE_ORGANIZATION_NAME: "EXAMPLE_ORG",
                SNOWFLAKE_ACCOUNT_NAME: "ML_PLATFORM",
                SNOWFLAKE_USER: `PULUMI_${expected.env}_DEPLOY_USER`,
                SNOWFLAKE_ROLE: `PULUMI_${expected.env}_DEPLOY_ROLE`,
                SNOWFLAKE_WAREHOUSE: `PULUMI_${expected.env}_WH`,
            });
        });

        test("branch protection: the fnmatch pattern, tests and preview required, last push approved by another", async () => {
            const ev = await evaluatedAdmin();
            const protections = ofType(ev.resources, G.protection).filter((p) => p.inputs.pattern === expected.policy);
            if (stack === "dev") {
                expect(protections).toEqual([]);
                return;
            }
            const production = stack === "prd";
            expect(protections.map((p) => p.inputs)).toEqual([
                {
                    repositoryId: "snowflake-mlops",
                    pattern: expected.policy,
                    allowsForcePushes: false,
                    allowsDeletions: false,
                    enforceAdmins: production,
                    requireConversationResolution: production,
                    requiredPullRequestReviews: [{ requiredApprovingReviewCount: production ? 2 : 1, dismissStaleReviews: production, requireCodeOwnerReviews: production, requireLastPushApproval: true }],
                    requiredStatusChecks: [{ strict: true, contexts: ["test", "preview"] }],
                },
            ]);
        });
    });

    test("production reviewers resolved to ids; the team looked up without its members", async () => {
        const ev = await evaluatedAdmin();
        const production = env(ev.resources, "production");
        expect(production.inputs.reviewers).toEqual([{ users: [mockNumericId("ml-lead"), mockNumericId("platform-lead")], teams: [mockNumericId("ml-platform-approvers")] }]);
        expect(production.inputs.preventSelfReview).toBe(true);
        expect(ev.calls.map((c) => [c.token, c.inputs])).toEqual([
            ["github:index/getUser:getUser", { username: "ml-lead" }],
            ["github:index/getUser:getUser", { username: "platform-lead" }],
            ["github:index/getTeam:getTeam", { slug: "ml-platform-approvers", summaryOnly: true }],
        ]);
        for (const name of ["dev", "sit", "uat", ...STACKS.map(previewEnvironmentName)]) expect(env(ev.resources, name).inputs.reviewers).toEqual([]);
    });

    test("more than six reviewers is a configuration error before any resource", async () => {
        const users = ["a1", "a2", "a3", "a4", "a5", "a6"];
        const message = await evaluateAdmin({ prd: { productionReviewerUsers: users } }).then(
            () => "no error",
            (err: Error & { registeredResources?: unknown[] }) => {
                expect(err.registeredResources ?? []).toEqual([]);
                return err.message;
            },
        );
        expect(message).toContain("Invalid configuration in Pulumi.prd.yaml");
        expect(message).toContain("snowflake-mlops:productionReviewerUsers: 7 reviewers (users and teams together); allowed: at most 6");
        expect(await evaluateAdmin({ prd: { productionReviewerUsers: users.slice(0, 5) } }).then(() => "no error")).toBe("no error");
    });
});

describe("the policy pack over admin/github (run with prd's policy config, docs/operations.md)", () => {
    test("no mandatory violation", async () => {
        const ev = await evaluatedAdmin();
        expect(formatViolations(mandatory(await runPolicies(POLICIES, ev.resources, policyConfigFor("prd"))))).toBe("");
    });

    test("a production environment administrators may bypass is refused", async () => {
        const resources: RecordedResource[] = JSON.parse(JSON.stringify((await evaluatedAdmin()).resources));
        env(resources, "production").inputs.canAdminsBypass = true;
        expect(formatViolations(mandatory(await runPolicies(POLICIES, resources, policyConfigFor("prd"))))).toContain("Environment production: canAdminsBypass must be false.");
    });
});

test("the expectations above are the environment table", () => {
    expect(environmentTable().map((r) => [r.stack, r.githubEnvironment])).toEqual(STACKS.map((s) => [s, EXPECTED[s].environment]));
});
