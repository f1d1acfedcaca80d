/**
 * The GitHub governance of every environment (SPEC §6), declared by the administrator-only
 * program in admin/github (its own Pulumi project and stack), never by the environment
 * stacks: whoever runs it holds a repository-administration token, so it must not run in a
 * job that an unreviewed push can start (a push to feature/** deploys dev). The environments
 * and their policies must also exist, protected, before the first workflow names them:
 * GitHub creates an environment a job names on the fly, without any protection.
 *
 * Per stack it declares the deploy environment (dev, sit, uat, production) and a read-only
 * preview environment (`preview-<stack>`), each with the variables its jobs read, the branch
 * protection of the deploy branch, and the names of the secrets an administrator must put
 * into each environment. Secret values never pass through Pulumi: they are not in any state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { ConfigError, PlatformConfig, PROJECT } from "./config";
import { PRODUCTION_ENVIRONMENT } from "./configSchema";
import { fnmatchPattern } from "../infra/github/branchPatterns";
import { DeploymentEnvironment } from "../infra/github/deploymentEnvironment";
import { ProtectedBranch } from "../infra/github/protectedBranch";
import { ActionsEnvironmentSettings } from "../infra/github/actionsEnvironmentSettings";
import { protectUnlessReplacedByDeploys } from "./protection";

/**
 * Check names that must pass before a pull request merges into the production branch:
 * the job ids of .github/workflows/ci.yml and preview.yml (a job without `name:` reports
 * its id). test/workflows.test.ts fails if a workflow renames them.
 */
export const REQUIRED_STATUS_CHECKS = ["test", "preview"];

/** GitHub accepts at most six required reviewers (users and teams together) per environment. */
export const MAX_ENVIRONMENT_REVIEWERS = 6;

/**
 * Secrets every environment (deploy and preview) must hold, set by an administrator with
 * `gh secret set <NAME> --env <environment>`; the workflows read nothing else from `secrets.`.
 * SNOWFLAKE_PRIVATE_KEY: PEM key of that environment's own Snowflake service user (the deploy
 * user in the deploy environment, the read-only preview user in the preview environment).
 * The state backend needs no secret: jobs log in with GitHub's OIDC token (.github/actions/pulumi-login).
 */
export const ENVIRONMENT_SECRETS = ["SNOWFLAKE_PRIVATE_KEY"] as const;

/** The read-only environment whose credentials previews and drift checks of `stack` use. */
export function previewEnvironmentName(stack: string): string {
    return `preview-${stack}`;
}

export type Identity = "deploy" | "preview";

/**
 * The Snowflake identity a job of each kind logs in as: the stack file's deploy or preview
 * user and role (created by bootstrap/<stack>/), on the bootstrap's connection warehouse.
 */
export function snowflakeIdentity(cfg: PlatformConfig, identity: Identity) {
    const sf = cfg.snowflake;
    return identity === "deploy"
        ? { user: sf.deployUser, role: sf.deployRole, warehouse: sf.connectionWarehouse }
        : { user: sf.previewUser, role: sf.previewRole, warehouse: sf.connectionWarehouse };
}

/** The Pulumi Cloud team an environment's OIDC token is exchanged for (docs/operations.md). */
export function pulumiTeam(repository: string, stack: string, identity: Identity): string {
    return `${repository}-${stack}-${identity}`;
}

/** Settings of the administrator's stack (admin/github/Pulumi.github.yaml). */
export interface BackendSettings {
    /** Pulumi Cloud API URL (https://api.pulumi.com or a self-hosted one). */
    url: string;
    /** Pulumi Cloud organization that owns the stacks (`<org>/<stack>`). */
    organization: string;
}

export interface EnvironmentGovernance {
    stack: string;
    deploy: DeploymentEnvironment;
    preview: DeploymentEnvironment;
    /** Undefined when the stack's branch is not protected (requiredApprovals 0, dev). */
    branchProtection?: ProtectedBranch;
    deploySettings: ActionsEnvironmentSettings;
    previewSettings: ActionsEnvironmentSettings;
}

export interface GithubGovernance {
    provider: github.Provider;
    environments: EnvironmentGovernance[];
}

/**
 * Declares the governance of every stack. `stacks` are the validated configurations of the
 * environment stacks (read from their stack files by admin/github); they must agree on the
 * repository.
 */
export function declareGithubGovernance(stacks: PlatformConfig[], backend: BackendSettings): GithubGovernance {
    const owners = new Set(stacks.map((c) => `${c.github.owner}/${c.github.repository}`));
    if (owners.size !== 1) {
        throw new ConfigError(stacks.map((c) => c.stackFile).join(", "), [`${PROJECT}:githubOwner/githubRepository: the stacks name ${[...owners].join(", ")}; allowed: one repository for all stacks`]);
    }
    for (const cfg of stacks) checkReviewerCount(cfg);
    const { owner, repository } = stacks[0].github;
    const provider = githubProviderFromEnvironment(owner);

    const environments = stacks.map((cfg): EnvironmentGovernance => {
        const production = cfg.githubEnvironment === PRODUCTION_ENVIRONMENT;
        const deploy = new DeploymentEnvironment(
            `${cfg.stack}-deploy`,
            {
                repository,
                environment: cfg.githubEnvironment,
                branchPattern: fnmatchPattern(cfg.deployBranch),
                reviewerUserIds: production ? cfg.github.productionReviewerUsers.map((login) => userId(cfg, login, provider)) : [],
                reviewerTeamIds: production ? cfg.github.productionReviewerTeams.map((slug) => teamId(cfg, slug, provider)) : [],
                preventSelfReview: production,
                // GitHub defaults to true; nobody skips the approval, administrators included.
                canAdminsBypass: false,
            },
            governanceOpts({ provider }),
        );
        // Pull requests come from any branch, so the preview environment admits every branch;
        // what it holds is read-only (the preview user, the read-only Pulumi team).
        const preview = new DeploymentEnvironment(
            `${cfg.stack}-preview`,
            { repository, environment: previewEnvironmentName(cfg.stack), reviewerUserIds: [], reviewerTeamIds: [], preventSelfReview: false, canAdminsBypass: false },
            governanceOpts({ provider }),
        );
        const variables = (identity: Identity) => {
            const login = snowflakeIdentity(cfg, identity);
            return {
                PULUMI_BACKEND_URL: backend.url,
                PULUMI_ORGANIZATION: backend.organization,
                PULUMI_TEAM: pulumiTeam(repository, cfg.stack, identity),
                PULUMI_STACK: cfg.stack,
                SNOWFLAKE_ORGANIZATION_NAME: cfg.snowflake.organizationName,
                SNOWFLAKE_ACCOUNT_NAME: cfg.snowflake.accountName,
                SNOWFLAKE_USER: login.user,
                SNOWFLAKE_WAREHOUSE: login.warehouse,
                // The deploy job's task-graph scripts act as this role: it has USAGE on the
                // connection warehouse, and the graph's owner ML_{ENV}_ROLE is granted to it.
                SNOWFLAKE_ROLE: login.role,
            };
        };
        const deploySettings = new ActionsEnvironmentSettings(`${cfg.stack}-deploy-settings`, { repository, environment: deploy.environment.environment, variables: variables("deploy") }, governanceOpts({ provider }));
        const previewSettings = new ActionsEnvironmentSettings(`${cfg.stack}-preview-settings`, { repository, environment: preview.environment.environment, variables: variables("preview") }, governanceOpts({ provider }));

        const branchProtection =
            cfg.requiredApprovals > 0
                ? new ProtectedBranch(
                      `${cfg.stack}-deploy-branch`,
                      {
                          repository,
                          pattern: fnmatchPattern(cfg.deployBranch),
                          requiredApprovals: cfg.requiredApprovals,
                          // The production branch gets the full set (SPEC §6); every protected
                          // branch requires the tests and the preview, so no red commit merges.
                          dismissStaleReviews: production,
                          requireCodeOwnerReviews: production,
                          requireLastPushApproval: true,
                          requiredStatusChecks: REQUIRED_STATUS_CHECKS,
                          requireConversationResolution: production,
                          enforceAdmins: production,
                      },
                      governanceOpts({ provider }),
                  )
                : undefined;
        return { stack: cfg.stack, deploy, preview, branchProtection, deploySettings, previewSettings };
    });
    return { provider, environments };
}

/**
 * The github provider without a token input. The SDK copies GITHUB_TOKEN into the provider's
 * inputs when it is set (node_modules/@pulumi/github/provider.js: `?? utilities.getEnv("GITHUB_TOKEN")`),
 * and provider inputs are stored in the state, where `pulumi refresh` would reuse an expired
 * token (pulumi-github#613: reproduces only for explicit providers). The provider plugin
 * reads GITHUB_TOKEN from its own environment instead
 * (terraform-provider-github v6.13.0 github/provider.go: `token` has
 * `DefaultFunc: schema.EnvDefaultFunc("GITHUB_TOKEN", nil)`).
 */
function githubProviderFromEnvironment(owner: string): github.Provider {
    const token = process.env.GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    try {
        return new github.Provider("github", { owner }, { protect: true });
    } finally {
        if (token !== undefined) process.env.GITHUB_TOKEN = token;
    }
}

function checkReviewerCount(cfg: PlatformConfig) {
    if (cfg.githubEnvironment !== PRODUCTION_ENVIRONMENT) return;
    const count = cfg.github.productionReviewerUsers.length + cfg.github.productionReviewerTeams.length;
    if (count > MAX_ENVIRONMENT_REVIEWERS) {
        throw new ConfigError(cfg.stackFile, [
            `${PROJECT}:productionReviewerUsers: ${count} reviewers (users and teams together); allowed: at most ${MAX_ENVIRONMENT_REVIEWERS}, GitHub's limit per environment (use a team for more people)`,
        ]);
    }
}

function userId(cfg: PlatformConfig, login: string, provider: github.Provider): pulumi.Output<number> {
    return numericId(cfg, "productionReviewerUsers", `user ${login}`, github.getUser({ username: login }, { provider }));
}

function teamId(cfg: PlatformConfig, slug: string, provider: github.Provider): pulumi.Output<number> {
    // summaryOnly: only the id is needed; without it every preview lists the team's members.
    return numericId(cfg, "productionReviewerTeams", `team ${slug}`, github.getTeam({ slug, summaryOnly: true }, { provider }));
}

/** Environments take numeric ids; a login or slug GitHub does not know is a config error. */
function numericId(cfg: PlatformConfig, key: string, what: string, lookup: Promise<{ id: string }>): pulumi.Output<number> {
    const fail = (reason: string) =>
        new ConfigError(cfg.stackFile, [`${PROJECT}:${key}: GitHub ${what} cannot be resolved (${reason}); allowed: existing logins/team slugs of ${cfg.github.owner}`]);
    return pulumi.output(
        lookup.then(
            (found) => {
                const id = Number(found.id);
                if (!Number.isSafeInteger(id) || id <= 0) throw fail(`id ${JSON.stringify(found.id)} is not numeric`);
                return id;
            },
            (err: unknown) => {
                const message = err instanceof Error ? err.message : String(err);
                throw fail(message || "GitHub reported an error");
            },
        ),
    );
}

/** Stack outputs an administrator looks for after `pulumi up`, including what to set by hand. */
export function githubOutputs(governance: GithubGovernance) {
    return Object.fromEntries(
        governance.environments.map((e) => [
            e.stack,
            {
                environment: e.deploy.environment.environment,
                previewEnvironment: e.preview.environment.environment,
                deployBranchPolicy: e.deploy.branchPolicy?.branchPattern,
                protectedBranch: e.branchProtection?.protection.pattern,
                secretsToSet: [...ENVIRONMENT_SECRETS],
            },
        ]),
    );
}

/**
 * Every governance resource is protected, the provider included: a mistaken `pulumi destroy`
 * of this stack would remove the production approval and the branch protection of every
 * environment at once, so it must delete nothing (the same rule as prd, stacks/protection.ts).
 */
function governanceOpts(opts: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions {
    return pulumi.mergeOptions(opts, { transformations: [protectUnlessReplacedByDeploys] });
}
