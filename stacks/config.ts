/**
 * The one typed configuration of a stack. Every key is read exactly once here, validated,
 * and returned as a typed object; a bad stack file fails before any resource is
 * registered, with one message that lists every problem (key, stack file, allowed values).
 *
 * Defaults are declared in Pulumi.yaml and applied by the Pulumi CLI (and by
 * tools/stackConfig.ts under mocks), so every key must have a value by the time the
 * program runs: a missing key is a missing required key, never a silent default.
 */
import * as pulumi from "@pulumi/pulumi";
import * as v from "./configSchema";
import { overlappingStacks } from "../tools/environments";

export const PROJECT = "snowflake-mlops";

export interface PlatformConfig {
    /** Stack name (dev, sit, uat, prd). */
    stack: string;
    /** Stack file the values come from, for messages. */
    stackFile: string;
    env: v.EnvironmentCode;
    /** True for PRD: narrower grants, no sample data. */
    isProduction: boolean;
    deployBranch: string;
    githubEnvironment: string;
    requiredApprovals: number;
    warehouse: {
        name: string;
        size: v.WarehouseSize;
        autoSuspendSeconds: number;
        statementTimeoutSeconds: number;
    };
    data: {
        sampleRows: number;
        predictionRetentionDays: number;
        recentPredictionsDays: number;
        protectStatefulResources: boolean;
    };
    pipeline: {
        schedule: string;
        started: boolean;
        minRocAuc: number;
        maxAucRegression: number;
        retryAttempts: number;
        suspendAfterFailures: number;
        timeoutMinutes: number;
    };
    /**
     * The identities and connection warehouse the bootstrap creates (bootstrap/<stack>/). The
     * private key is not configuration: the provider reads SNOWFLAKE_PRIVATE_KEY from the job.
     */
    snowflake: {
        organizationName: string;
        accountName: string;
        deployUser: string;
        deployRole: string;
        previewUser: string;
        previewRole: string;
        connectionWarehouse: string;
    };
    cost: { monthlyCreditQuota: number; monitorNotifyUsers: string[] };
    tags: { costCenter: string; ownerTeam: string };
    alerts: { emails: string[]; driftPsiThreshold: number };
    github: {
        owner: string;
        repository: string;
        productionReviewerUsers: string[];
        productionReviewerTeams: string[];
    };
}

/** Raised when a stack file is invalid; the message lists every problem. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stackFile: string,
        readonly problems: string[],
    ) {
        super(`Invalid configuration in ${stackFile} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** How raw values are looked up: the CLI's config in a real run, a map in tests. */
export interface ConfigSource {
    get(key: string): string | undefined;
    getSecret(key: string): pulumi.Output<string> | undefined;
}

/** Reads `snowflake-mlops:*` through the Pulumi SDK (values the CLI passed, defaults applied). */
export function pulumiConfigSource(): ConfigSource {
    const config = new pulumi.Config(PROJECT);
    return {
        // Raw lookup: `config.get` on a secret key would warn; presence is all we need here.
        get: (key) => pulumi.runtime.getConfig(`${PROJECT}:${key}`),
        getSecret: (key) => config.getSecret(key),
    };
}

/** Reads and validates the whole configuration of `stack`. Throws ConfigError. */
export function readPlatformConfig(stack: string, source: ConfigSource = pulumiConfigSource()): PlatformConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const problems: string[] = [];
    const key = (k: string) => `${PROJECT}:${k}`;

    function read<T>(k: string, parse: (raw: string) => v.Parsed<T>): T {
        const raw = source.get(k);
        if (raw === undefined) {
            problems.push(`${key(k)}: missing; this key is required (see Pulumi.yaml for its meaning)`);
            return undefined as unknown as T;
        }
        const parsed = parse(raw);
        if (!parsed.ok) {
            problems.push(`${key(k)}: ${parsed.problem}`);
            return undefined as unknown as T;
        }
        return parsed.value;
    }
    const check = (condition: boolean, k: string, problem: string) => {
        if (!condition) problems.push(`${key(k)}: ${problem}`);
    };

    const env = read("env", v.oneOf(v.ENVIRONMENTS));
    if (env !== undefined) {
        check(env.toLowerCase() === stack, "env", `${JSON.stringify(env)} does not belong in stack "${stack}"; allowed: ${stack.toUpperCase()} (the stack name in upper case)`);
    }
    const cfg: PlatformConfig = {
        stack,
        stackFile,
        env,
        isProduction: env === "PRD",
        deployBranch: read("deployBranch", v.branchPattern),
        githubEnvironment: read("githubEnvironment", v.githubEnvironmentName),
        requiredApprovals: read("requiredApprovals", v.integer(0, 6)),
        warehouse: {
            name: read("warehouseName", v.identifier),
            size: read("warehouseSize", v.oneOf(v.WAREHOUSE_SIZES)),
            autoSuspendSeconds: read("warehouseAutoSuspendSeconds", v.integer(60, 3600)),
            statementTimeoutSeconds: read("warehouseStatementTimeoutSeconds", v.integer(60, 86400)),
        },
        data: {
            sampleRows: read("sampleRows", v.integer(0, 10_000_000)),
            predictionRetentionDays: read("predictionRetentionDays", v.integer(0, 90)),
            recentPredictionsDays: read("recentPredictionsDays", v.integer(1, 365)),
            protectStatefulResources: read("protectStatefulResources", v.boolean),
        },
        pipeline: {
            schedule: read("pipelineSchedule", v.cronWithTimeZone),
            started: read("pipelineStarted", v.boolean),
            minRocAuc: read("minRocAuc", v.decimal(0.5, 1)),
            maxAucRegression: read("maxAucRegression", v.decimal(0, 0.5)),
            retryAttempts: read("taskRetryAttempts", v.integer(0, 30)),
            suspendAfterFailures: read("taskSuspendAfterFailures", v.integer(1, 100)),
            timeoutMinutes: read("taskTimeoutMinutes", v.integer(1, 1440)),
        },
        snowflake: {
            organizationName: read("snowflakeOrganizationName", v.identifier),
            accountName: read("snowflakeAccountName", v.identifier),
            deployUser: read("snowflakeDeployUser", v.identifier),
            deployRole: read("snowflakeDeployRole", v.deployableRole),
            previewUser: read("snowflakePreviewUser", v.identifier),
            previewRole: read("snowflakePreviewRole", v.deployableRole),
            connectionWarehouse: read("snowflakeConnectionWarehouse", v.identifier),
        },
        cost: {
            monthlyCreditQuota: read("monthlyCreditQuota", v.integer(1, 1_000_000)),
            monitorNotifyUsers: read("monitorNotifyUsers", v.list(v.identifier, 1)),
        },
        tags: { costCenter: read("costCenter", v.tagValue), ownerTeam: read("ownerTeam", v.tagValue) },
        alerts: {
            emails: read("alertEmails", v.list(v.email, 1)),
            driftPsiThreshold: read("driftPsiThreshold", v.decimal(0, 1, true)),
        },
        github: {
            owner: read("githubOwner", v.githubName),
            repository: read("githubRepository", v.githubRepositoryName),
            productionReviewerUsers: read("productionReviewerUsers", v.list(v.githubName)),
            productionReviewerTeams: read("productionReviewerTeams", v.list(v.githubTeamSlug)),
        },
    };

    // Rules that relate two keys.
    if (env !== undefined && cfg.warehouse.name !== undefined) {
        check(cfg.warehouse.name.startsWith(`${env}_WH_`), "warehouseName", `${JSON.stringify(cfg.warehouse.name)} must start with ${env}_WH_ so it cannot name another environment's warehouse`);
    }
    if (env === "PRD" && cfg.data.sampleRows !== undefined) {
        check(cfg.data.sampleRows === 0, "sampleRows", `${cfg.data.sampleRows} synthetic rows in PRD; allowed: 0 (production holds real data only)`);
    }
    if (env !== undefined && env !== "PRD" && cfg.pipeline.started === true) {
        check(false, "pipelineStarted", `true outside production; allowed: false in ${env} (only PRD runs the graph on its schedule, SPEC §8)`);
    }
    if (env !== undefined && cfg.githubEnvironment !== undefined && (cfg.githubEnvironment === v.PRODUCTION_ENVIRONMENT) !== (env === "PRD")) {
        check(false, "githubEnvironment", `${JSON.stringify(cfg.githubEnvironment)} in ${env}; allowed: "${v.PRODUCTION_ENVIRONMENT}" in PRD and only there (it is the environment that requires approval)`);
    }
    if (cfg.deployBranch !== undefined) {
        // The branch is read from this very file, so comparing it with the environment table
        // would compare the file with itself. What can go wrong is a pattern another stack's
        // pattern also matches (`main` in sit, `**` in dev): that branch would deploy two
        // stacks, and this environment's branch policy would admit another stack's branch.
        const others = overlappingStacks(stack, cfg.deployBranch);
        check(others.length === 0, "deployBranch", `${JSON.stringify(cfg.deployBranch)} overlaps the deploy branch of stack ${others.join(", ")}; allowed: a pattern no other stack's pattern matches (see tools/environments.ts)`);
    }
    if (cfg.githubEnvironment === v.PRODUCTION_ENVIRONMENT && cfg.github.productionReviewerUsers && cfg.github.productionReviewerTeams) {
        const users = cfg.github.productionReviewerUsers.length;
        const teams = cfg.github.productionReviewerTeams.length;
        check(users >= 2 || teams >= 1, "productionReviewerUsers", `${users} user(s) and ${teams} team(s) may approve production; allowed: at least two users or one team (also see ${key("productionReviewerTeams")})`);
    }

    const sf = cfg.snowflake;
    if (env !== undefined) {
        // Each stack has its own identities (issue #10): a name without this environment's code
        // could be another environment's user, role or warehouse.
        const identities: [string, string | undefined, string][] = [
            ["snowflakeDeployUser", sf.deployUser, "DEPLOY_USER"],
            ["snowflakeDeployRole", sf.deployRole, "DEPLOY_ROLE"],
            ["snowflakePreviewUser", sf.previewUser, "PREVIEW_USER"],
            ["snowflakePreviewRole", sf.previewRole, "PREVIEW_ROLE"],
            ["snowflakeConnectionWarehouse", sf.connectionWarehouse, "WH"],
        ];
        for (const [k, name, suffix] of identities) {
            if (name === undefined) continue;
            check(new RegExp(`(^|_)${env}(_|$)`).test(name), k, `${JSON.stringify(name)} does not contain the environment code ${env} as a word; allowed: this environment's own bootstrap name, e.g. PULUMI_${env}_${suffix}`);
        }
    }
    if (sf.deployUser !== undefined && sf.deployUser === sf.previewUser) {
        check(false, "snowflakePreviewUser", `${JSON.stringify(sf.previewUser)} is also the deploy user; allowed: a separate read-only user (the preview identity must not be able to change anything)`);
    }
    if (sf.deployRole !== undefined && sf.deployRole === sf.previewRole) {
        check(false, "snowflakePreviewRole", `${JSON.stringify(sf.previewRole)} is also the deploy role; allowed: a separate read-only role`);
    }
    if (sf.connectionWarehouse !== undefined && sf.connectionWarehouse === cfg.warehouse.name) {
        check(false, "snowflakeConnectionWarehouse", `${JSON.stringify(sf.connectionWarehouse)} is the warehouse the stack creates; allowed: the bootstrap's warehouse (it must exist before the first preview)`);
    }
    if (problems.length > 0) throw new ConfigError(stackFile, problems);

    return cfg;
}
