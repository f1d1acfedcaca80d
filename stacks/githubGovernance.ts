/**
 * Composes one stack's GitHub governance (SPEC §6) from the components in infra/github:
 * its deployment environment, the protection of its deploy branch, and the Actions
 * variables and secrets its deploy job reads. Everything comes from the stack's config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { ConfigError, PlatformConfig, PROJECT } from "./config";
import { PRODUCTION_ENVIRONMENT } from "./configSchema";
import { DeploymentEnvironment } from "../infra/github/deploymentEnvironment";
import { ProtectedBranch } from "../infra/github/protectedBranch";
import { ActionsEnvironmentSettings } from "../infra/github/actionsEnvironmentSettings";

/**
 * Check names that must pass before a pull request merges into the production branch:
 * the job ids of .github/workflows/ci.yml and preview.yml (a job without `name:` reports
 * its id). test/workflows.test.ts fails if a workflow renames them.
 */
export const REQUIRED_STATUS_CHECKS = ["test", "preview"];


export interface GithubGovernance {
    provider: github.Provider;
    environment: DeploymentEnvironment;
    /** Undefined when the stack's branch is not protected (requiredApprovals 0, dev). */
    branchProtection?: ProtectedBranch;
    actionsSettings: ActionsEnvironmentSettings;
}

/** Snowflake facts the deploy job needs, taken from the stack's Snowflake platform. */
export interface SnowflakeFacts {
    warehouseName: pulumi.Input<string>;
    /** ML_{ENV}_ROLE: the post-deploy check reads the task graph as the role that owns it. */
    mlRoleName: pulumi.Input<string>;
}

/** Declares the stack's GitHub governance (its config was validated by stacks/config.ts). */
export function declareGithubGovernance(cfg: PlatformConfig, facts: SnowflakeFacts): GithubGovernance {
    const production = cfg.githubEnvironment === PRODUCTION_ENVIRONMENT;
    const repository = cfg.github.repository;

    // The token comes from the environment (a PAT, or a GitHub App installation token the
    // workflow mints), never from a file; wrapped as a secret so state holds it encrypted.
    const token = process.env.GITHUB_TOKEN;
    const provider = new github.Provider("github", { owner: cfg.github.owner, token: token ? pulumi.secret(token) : undefined });

    const environment = new DeploymentEnvironment(
        "deployment-environment",
        {
            repository,
            environment: cfg.githubEnvironment,
            branchPattern: cfg.deployBranch,
            reviewerUserIds: production ? cfg.github.productionReviewerUsers.map((login) => userId(cfg, login, provider)) : [],
            reviewerTeamIds: production ? cfg.github.productionReviewerTeams.map((slug) => teamId(cfg, slug, provider)) : [],
            preventSelfReview: production,
            // GitHub defaults to true; nobody skips the approval, administrators included.
            canAdminsBypass: false,
        },
        { provider },
    );

    const branchProtection =
        cfg.requiredApprovals > 0
            ? new ProtectedBranch(
                  "deploy-branch",
                  {
                      repository,
                      pattern: cfg.deployBranch,
                      requiredApprovals: cfg.requiredApprovals,
                      // The production branch gets the full set (SPEC §6); the others only reviews.
                      dismissStaleReviews: production,
                      requireCodeOwnerReviews: production,
                      requiredStatusChecks: production ? REQUIRED_STATUS_CHECKS : [],
                      requireConversationResolution: production,
                      enforceAdmins: production,
                  },
                  { provider },
              )
            : undefined;

    const actionsSettings = new ActionsEnvironmentSettings(
        "deploy-settings",
        {
            repository,
            environment: environment.environment.environment,
            variables: {
                SNOWFLAKE_ORGANIZATION_NAME: cfg.snowflake.organizationName,
                SNOWFLAKE_ACCOUNT_NAME: cfg.snowflake.accountName,
                SNOWFLAKE_USER: cfg.snowflake.deployUser,
                SNOWFLAKE_ROLE: facts.mlRoleName,
                SNOWFLAKE_WAREHOUSE: facts.warehouseName,
                PULUMI_STACK: cfg.stack,
            },
            // The deploy user's private key is not known to the program (the provider reads it from
            // the job's SNOWFLAKE_PRIVATE_KEY): an administrator stores it as this environment's
            // secret by hand (README, "Keys and rotation"), so it never passes through the state.
            secrets: {},
        },
        { provider },
    );
    return { provider, environment, branchProtection, actionsSettings };
}

function userId(cfg: PlatformConfig, login: string, provider: github.Provider): pulumi.Output<number> {
    return numericId(cfg, "productionReviewerUsers", `user ${login}`, github.getUser({ username: login }, { provider }));
}

function teamId(cfg: PlatformConfig, slug: string, provider: github.Provider): pulumi.Output<number> {
    return numericId(cfg, "productionReviewerTeams", `team ${slug}`, github.getTeam({ slug }, { provider }));
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

/** Stack outputs a user looks for after `pulumi up`. */
export function githubOutputs(governance: GithubGovernance) {
    return {
        environment: governance.environment.environment.environment,
        deployBranch: governance.environment.branchPolicy.branchPattern,
        protectedBranch: governance.branchProtection?.protection.pattern,
    };
}
