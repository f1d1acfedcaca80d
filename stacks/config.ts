/**
 * The one typed configuration of a stack. Every key is read exactly once here, validated,
 * and returned as a typed object; a bad stack file fails before any resource is
 * registered, with one message that lists every problem (key, stack file, allowed values).
 *
 * Defaults are declared in Pulumi.yaml and applied by the Pulumi CLI (and by
 * tools/stackConfig.ts under mocks), so every key must have a value by the time the
 * program runs: a missing key is a missing required key, never a silent default.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import * as v from "./configSchema";
import { deployBranchTable, overlappingStacks } from "../tools/environments";

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
        /** Protect every resource but those ordinary deploys replace (stacks/protection.ts); true in prd. */
        protectAllResources: boolean;
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
    /** Edition of the Snowflake account; STANDARD allows no tags and at most one day of Time Travel. */
    edition: v.SnowflakeEdition;
    /** `enabled`: declare the ENVIRONMENT, COST_CENTER and OWNER tags (Enterprise Edition and higher). */
    tags: { enabled: boolean; costCenter: string; ownerTeam: string };
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
    /** Every key of this project the stack sets (without the `project:` prefix), to find unknown ones. */
    keys?(): string[];
    /** The keys Pulumi.yaml declares; unknown keys are checked only when both are given. */
    declaredKeys?(): string[];
}

/** The config keys Pulumi.yaml (beside stacks/) declares. */
export function declaredConfigKeys(projectFile = path.resolve(__dirname, "..", "Pulumi.yaml")): string[] {
    let doc: { config?: Record<string, unknown> };
    try {
        doc = (yaml.load(fs.readFileSync(projectFile, "utf8")) ?? {}) as typeof doc;
    } catch (err) {
        throw new Error(`${projectFile}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
    return Object.keys(doc.config ?? {});
}

/** Reads `snowflake-mlops:*` through the Pulumi SDK (values the CLI passed, defaults applied). */
export function pulumiConfigSource(): ConfigSource {
    const config = new pulumi.Config(PROJECT);
    return {
        // Raw lookup: `config.get` on a secret key would warn; presence is all we need here.
        get: (key) => pulumi.runtime.getConfig(`${PROJECT}:${key}`),
        getSecret: (key) => config.getSecret(key),
        // The CLI may refuse undeclared project keys itself (pulumi/pulumi#11127 shows it
        // validating stack keys against the project's declared config); the program checks
        // too so the offline plan and the tests, which run without the CLI, catch misspellings.
        keys: () =>
            Object.keys(pulumi.runtime.allConfig())
                .filter((k) => k.startsWith(`${PROJECT}:`))
                .map((k) => k.slice(PROJECT.length + 1)),
        declaredKeys: () => declaredConfigKeys(),
    };
}

/** Reads and validates the whole configuration of `stack`. Throws ConfigError. */
export function readPlatformConfig(stack: string, source: ConfigSource = pulumiConfigSource()): PlatformConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const problems: string[] = [];
    const key = (k: string) => `${PROJECT}:${k}`;
    if (source.keys && source.declaredKeys) problems.push(...v.unknownKeyProblems(PROJECT, source.keys(), source.declaredKeys()));

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
            protectAllResources: read("protectAllResources", v.boolean),
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
        edition: read("snowflakeEdition", v.oneOf(v.SNOWFLAKE_EDITIONS)),
        tags: { enabled: read("governanceTags", v.boolean), costCenter: read("costCenter", v.tagValue), ownerTeam: read("ownerTeam", v.tagValue) },
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
    if (env === "PRD" && cfg.data.protectAllResources !== undefined) {
        check(cfg.data.protectAllResources, "protectAllResources", `false in PRD; allowed: true (\`pulumi destroy --stack ${stack}\` must delete nothing)`);
    }
    if (cfg.edition === "STANDARD") {
        // Standard Edition has no object tagging and at most one day of Time Travel: say so
        // before any resource is created, rather than fail at `up` half-way.
        const standard = `needs Enterprise Edition or higher, and snowflakeEdition is STANDARD`;
        // The pipeline itself needs tags, whatever governanceTags says: snowflake-ml-python
        // 1.7.2's FeatureStore runs CREATE TAG IF NOT EXISTS when it opens and keeps each entity
        // as a tag (feature_store.py FeatureStore.__init__, register_entity), so on Standard
        // every ENGINEER_FEATURES run would fail after a clean `pulumi up`.
        check(false, "snowflakeEdition", `STANDARD: the pipeline's Feature Store creates object tags (its metadata and entities are tags), and object tagging needs Enterprise Edition or higher; allowed: ENTERPRISE, BUSINESS_CRITICAL`);
        if (cfg.data.predictionRetentionDays !== undefined) {
            check(cfg.data.predictionRetentionDays <= v.STANDARD_MAX_RETENTION_DAYS, "predictionRetentionDays", `${cfg.data.predictionRetentionDays} days of Time Travel ${standard}; allowed on STANDARD: 0 or ${v.STANDARD_MAX_RETENTION_DAYS}`);
        }
        if (cfg.tags.enabled !== undefined) {
            check(!cfg.tags.enabled, "governanceTags", `true (object tagging) ${standard}; allowed on STANDARD: false`);
        }
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
        // Only the other stacks' deploy branches are read, leniently: a key missing in
        // another file (or in this one) must not hide the problems of this file.
        const others = overlappingStacks(stack, cfg.deployBranch, deployBranchTable());
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
