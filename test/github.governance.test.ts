/**
 * GitHub governance of each real stack (SPEC §6), evaluated under mocks from its stack file.
 */
import { Evaluation, mockNumericId, RecordedResource, SECRET_PLACEHOLDER } from "../tools/evaluate";
import { environmentTable } from "../tools/environments";
import { evaluated, ofType, STACKS } from "./support/stacks";

const G = {
    provider: "pulumi:providers:github",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    branchPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    protection: "github:index/branchProtection:BranchProtection",
    variable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    secret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
};
/** How deserializeProperties marks a secret value: `{[sigKey]: secretSig, value}`. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const isSecret = (v: any) => v !== null && typeof v === "object" && v[SIG_KEY] === SECRET_SIG;

const FAKE_TOKEN = "ghp_fakeTokenForTests0123456789";
beforeAll(() => {
    process.env.GITHUB_TOKEN = FAKE_TOKEN;
});
afterAll(() => {
    delete process.env.GITHUB_TOKEN;
});

/** Lookups made through the GitHub provider (the Snowflake side also reads data sources). */
const githubCalls = (ev: Evaluation) => ev.calls.filter((c) => c.token.startsWith("github:"));

function one(resources: RecordedResource[], what: string): RecordedResource {
    if (resources.length !== 1) throw new Error(`expected one ${what}, found ${resources.length}`);
    return resources[0];
}

const EXPECTED = {
    dev: { environment: "dev", branch: "feature/**", warehouse: "DEV_WH_XS", role: "ML_DEV_ROLE" },
    sit: { environment: "sit", branch: "development", warehouse: "SIT_WH_S", role: "ML_SIT_ROLE" },
    uat: { environment: "uat", branch: "release/**", warehouse: "UAT_WH_M", role: "ML_UAT_ROLE" },
    prd: { environment: "production", branch: "main", warehouse: "PRD_WH_L", role: "ML_PRD_ROLE" },
} as const;

describe.each(STACKS)("GitHub governance of stack %s", (stack) => {
    const expected = EXPECTED[stack];

    test("one explicit github provider for the owner, token only as a secret", async () => {
        const ev = await evaluated(stack);
        const provider = one(ofType(ev, G.provider), "github provider");
        expect(provider.inputs.owner).toBe("example-org");
        expect(isSecret(provider.inputs.token)).toBe(true);
        const githubResources = ev.resources.filter((r) => r.type.startsWith("github:"));
        expect(githubResources.length).toBeGreaterThan(0);
        for (const r of githubResources) expect(r.provider).toBe(provider.urn);
    });

    test("deployment environment admits only the stack's branch", async () => {
        const ev = await evaluated(stack);
        const env = one(ofType(ev, G.environment), "environment");
        expect(env.inputs.environment).toBe(expected.environment);
        expect(env.inputs.repository).toBe("snowflake-mlops");
        expect(env.inputs.deploymentBranchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
        expect(env.inputs.canAdminsBypass).toBe(false);
        const policy = one(ofType(ev, G.branchPolicy), "branch policy");
        expect(policy.inputs).toEqual({ repository: "snowflake-mlops", environment: expected.environment, branchPattern: expected.branch });
        expect(policy.parent).toBe(env.parent);
    });

    test("reviewers: production only, ids resolved from logins and team slugs", async () => {
        const ev = await evaluated(stack);
        const env = one(ofType(ev, G.environment), "environment");
        if (stack === "prd") {
            expect(env.inputs.reviewers).toEqual([{ users: [mockNumericId("ml-lead"), mockNumericId("platform-lead")], teams: [mockNumericId("ml-platform-approvers")] }]);
            expect(env.inputs.preventSelfReview).toBe(true);
            expect(githubCalls(ev).map((c) => [c.token, c.inputs])).toEqual([
                ["github:index/getUser:getUser", { username: "ml-lead" }],
                ["github:index/getUser:getUser", { username: "platform-lead" }],
                ["github:index/getTeam:getTeam", { slug: "ml-platform-approvers" }],
            ]);
        } else {
            expect(env.inputs.reviewers).toEqual([]);
            expect(env.inputs.preventSelfReview).toBe(false);
            expect(githubCalls(ev)).toEqual([]);
        }
    });

    test("branch protection of the deploy branch", async () => {
        const ev = await evaluated(stack);
        const protections = ofType(ev, G.protection);
        const common = { repositoryId: "snowflake-mlops", pattern: expected.branch, allowsForcePushes: false, allowsDeletions: false };
        if (stack === "dev") {
            expect(protections).toEqual([]);
        } else if (stack === "prd") {
            expect(one(protections, "protection").inputs).toEqual({
                ...common,
                enforceAdmins: true,
                requireConversationResolution: true,
                requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true }],
                requiredStatusChecks: [{ strict: true, contexts: ["test", "preview"] }],
            });
        } else {
            expect(one(protections, "protection").inputs).toEqual({
                ...common,
                enforceAdmins: false,
                requireConversationResolution: false,
                requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1, dismissStaleReviews: false, requireCodeOwnerReviews: false }],
                requiredStatusChecks: [],
            });
        }
    });

    test("Actions variables and secret of the environment", async () => {
        const ev = await evaluated(stack);
        const variables: Record<string, any> = Object.fromEntries(ofType(ev, G.variable).map((r) => [r.inputs.variableName, r.inputs]));
        expect(Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.value]))).toEqual({
            SNOWFLAKE_ORGANIZATION_NAME: "EXAMPLE_ORG",
            SNOWFLAKE_ACCOUNT_NAME: "ML_PLATFORM",
            SNOWFLAKE_USER: `PULUMI_${stack.toUpperCase()}_DEPLOY_USER`,
            SNOWFLAKE_ROLE: expected.role,
            SNOWFLAKE_WAREHOUSE: expected.warehouse,
            PULUMI_STACK: stack,
        });
        for (const v of Object.values(variables) as any[]) expect([v.repository, v.environment]).toEqual(["snowflake-mlops", expected.environment]);
        // The private key never passes through the program or its state (README, "Keys and rotation").
        expect(ofType(ev, G.secret)).toEqual([]);
    });

    test("no secret value in plain text in any input", async () => {
        const ev = await evaluated(stack);
        const leaks: string[] = [];
        const scan = (value: any, where: string) => {
            if (isSecret(value)) return;
            if (typeof value === "string" && (value.includes(SECRET_PLACEHOLDER) || value.includes(FAKE_TOKEN))) leaks.push(where);
            else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) scan(v, `${where}.${k}`);
        };
        for (const r of ev.resources) scan(r.inputs, r.urn);
        expect(leaks).toEqual([]);
    });
});

test("the expectations above are the environment table", () => {
    expect(environmentTable().map((r) => [r.stack, r.githubEnvironment, r.deployBranch])).toEqual(
        STACKS.map((s) => [s, EXPECTED[s].environment, EXPECTED[s].branch]),
    );
});
