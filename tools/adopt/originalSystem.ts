/**
 * What the original SQL-script system (sfc-gh-pdiasbarbosa/MLOps_example @ c1cf840) holds in
 * one environment, as data: restated from ../shared/reference/original-system-inventory.md
 * (section numbers in `source`). This is the one place those facts are written; the import
 * file, the adoption report, the guide's tables and the tests derive from it.
 *
 * Each object is described in the vocabulary of the Pulumi resource that would manage it:
 * its type token, the provider's import ID (tools/adopt/importIds.ts) and the settings the
 * original gives it, named as that resource's inputs, so that it can be held against the
 * program's resources. Objects no resource type of the program manages (runtime objects of
 * the old pipeline, the old workflow) carry an `original:` type.
 */
import { grantId, piped, quoted, TYPES } from "./importIds";
import { readStackFile } from "../stackConfig";

export type Certainty =
    /** Created by the SQL scripts or the deploy script: every environment built by them holds it. */
    | "script"
    /** Set up by hand as the original docs ask (docs/BRANCH_PROTECTION.md): may be missing. */
    | "manual"
    /** Suggested as optional by the original docs. */
    | "optional";

export interface OriginalColumn {
    name: string;
    /** As the original DDL writes it (INTEGER, DECIMAL(18,2), TIMESTAMP_NTZ...). */
    type: string;
    nullable: boolean;
    /** Column default expression, if the DDL sets one. */
    default?: string;
}

export interface OriginalObject {
    /** Pulumi type token of the resource that manages such an object, or `original:<kind>`. */
    type: string;
    /** The provider's import ID (grants: with the privileges the original grants). */
    id: string;
    /** What a person calls it. */
    label: string;
    /** The original's settings, named as the Pulumi resource's inputs; absent = not set. */
    properties: Record<string, unknown>;
    /** Inventory section (and original file) that says so. */
    source: string;
    certainty: Certainty;
    /** SQL or command that removes it once the switch is done, if this project does not declare it. */
    cleanup?: string;
    /** Why it is kept, if it should not be removed. */
    keep?: string;
}

export const ORIGINAL_COMMIT = "c1cf840eba20311ac248a4d429c89417e05fd99f";
export type Env = "DEV" | "SIT" | "UAT" | "PRD";

interface EnvFacts {
    warehouse: { name: string; size: string; autoSuspend: number; comment: string };
    /** L in the database comments. */
    label: string;
    /** T in the table comments. */
    tableLabel: string;
    /** Lower-case word in the RAW PUBLIC schema comment. */
    word: string;
    predictionRetentionDays?: number;
    /** Branch the original workflow deploys this environment from (§3). */
    branch: string;
}

/** §1.1, §1.2, §1.3, §3. */
const ENVS: Record<Env, EnvFacts> = {
    DEV: {
        warehouse: { name: "DEV_WH_XS", size: "XSMALL", autoSuspend: 60, comment: "Development warehouse for ML pipelines - XS size for cost efficiency" },
        label: "Development",
        tableLabel: "DEV",
        word: "development",
        branch: "feature/*",
    },
    SIT: {
        warehouse: { name: "SIT_WH_S", size: "SMALL", autoSuspend: 120, comment: "SIT warehouse for ML pipelines - S size for integration testing" },
        label: "SIT",
        tableLabel: "SIT",
        word: "SIT",
        branch: "development",
    },
    UAT: {
        warehouse: { name: "UAT_WH_M", size: "MEDIUM", autoSuspend: 180, comment: "UAT warehouse for ML pipelines - M size for pre-production validation" },
        label: "UAT",
        tableLabel: "UAT",
        word: "UAT",
        predictionRetentionDays: 3,
        branch: "release/*",
    },
    PRD: {
        warehouse: { name: "PRD_WH_L", size: "LARGE", autoSuspend: 300, comment: "Production warehouse for ML pipelines - L size for production workloads" },
        label: "PRODUCTION",
        tableLabel: "PRODUCTION",
        word: "production",
        predictionRetentionDays: 7,
        branch: "main",
    },
};

/** §1.3 */
const CUSTOMERS_COLUMNS: OriginalColumn[] = [
    { name: "CUSTOMER_ID", type: "VARCHAR(50)", nullable: false }, // PRIMARY KEY implies NOT NULL
    { name: "CUSTOMER_NAME", type: "VARCHAR(200)", nullable: true },
    { name: "AGE", type: "INTEGER", nullable: true },
    { name: "ACCOUNT_BALANCE", type: "DECIMAL(18,2)", nullable: true },
    { name: "TENURE_MONTHS", type: "INTEGER", nullable: true },
    { name: "NUM_PRODUCTS", type: "INTEGER", nullable: true },
    { name: "HAS_CREDIT_CARD", type: "BOOLEAN", nullable: true },
    { name: "IS_ACTIVE_MEMBER", type: "BOOLEAN", nullable: true },
    { name: "TARGET_LABEL", type: "INTEGER", nullable: true },
    { name: "LAST_UPDATED", type: "TIMESTAMP_NTZ", nullable: true, default: "CURRENT_TIMESTAMP()" },
];

const PREDICTIONS_COLUMNS: OriginalColumn[] = [
    { name: "CUSTOMER_ID", type: "VARCHAR(50)", nullable: true },
    { name: "PREDICTION", type: "INTEGER", nullable: true },
    { name: "PREDICTION_TIMESTAMP", type: "TIMESTAMP_NTZ", nullable: true, default: "CURRENT_TIMESTAMP()" },
    { name: "MODEL_VERSION", type: "VARCHAR(50)", nullable: true },
    { name: "CONFIDENCE_SCORE", type: "DECIMAL(5,4)", nullable: true },
];

const OLD_CHILD_TASKS = ["TASK_FEATURE_ENG", "TASK_TRAINING", "TASK_INFERENCE"];
const ROOT_TASK = "ML_RETRAINING_PIPELINE";

/**
 * Every object the original system holds in `env`. Objects shared by all environments (the
 * ML_CICD_ROLE and the repository-level secrets) are listed with PRD, the last environment
 * switched, because they may go only once nothing uses them.
 *
 * `repository` is the GitHub repository the original workflow ran in; this project assumes
 * it is the one its stacks manage (config `githubRepository`).
 */
export function originalObjects(env: Env, repository: string): OriginalObject[] {
    const f = ENVS[env];
    const raw = `${env}_RAW_DB`;
    const ml = `${env}_ML_DB`;
    const role = `ML_${env}_ROLE`;
    const out: OriginalObject[] = [];
    const add = (o: OriginalObject) => out.push(o);
    const sql = (o: Omit<OriginalObject, "certainty">) => add({ certainty: "script", ...o });

    // §1.1 warehouse
    sql({
        type: TYPES.warehouse,
        id: quoted(f.warehouse.name),
        label: f.warehouse.name,
        properties: { warehouseSize: f.warehouse.size, autoSuspend: f.warehouse.autoSuspend, autoResume: "true", comment: f.warehouse.comment },
        source: "§1.1 sql/00_setup_warehouses.sql (UAT: 02b)",
    });

    // §1.2 databases and schemas
    sql({ type: TYPES.database, id: quoted(raw), label: raw, properties: { comment: `${f.label} - Raw data source database` }, source: "§1.2" });
    sql({ type: TYPES.database, id: quoted(ml), label: ml, properties: { comment: `${f.label} - ML pipeline database` }, source: "§1.2" });
    // Snowflake creates PUBLIC with the database, so the script's comment is never applied (§1.2).
    sql({ type: TYPES.schema, id: quoted(raw, "PUBLIC"), label: `${raw}.PUBLIC`, properties: {}, source: "§1.2 (created by Snowflake with the database)" });
    const schemaComments: Record<string, string> = {
        PIPELINES: "Contains ML pipeline tasks and DAG definitions",
        FEATURES: "Feature Store objects and feature views",
        OUTPUT: "ML inference outputs and predictions",
    };
    for (const [schema, comment] of Object.entries(schemaComments)) {
        sql({ type: TYPES.schema, id: quoted(ml, schema), label: `${ml}.${schema}`, properties: { comment: `${env}: ${comment}` }, source: "§1.2" });
    }

    // §1.3 tables
    sql({
        type: TYPES.table,
        id: piped(raw, "PUBLIC", "CUSTOMERS"),
        label: `${raw}.PUBLIC.CUSTOMERS`,
        properties: { columns: CUSTOMERS_COLUMNS, comment: `${f.tableLabel}: Raw customer data for churn prediction`, changeTracking: false },
        source: `§1.3 (${env === "PRD" ? "created only if missing, real rows" : "replaced and reseeded on every run of the script"})`,
    });
    sql({
        type: TYPES.table,
        id: piped(ml, "OUTPUT", "PREDICTIONS"),
        label: `${ml}.OUTPUT.PREDICTIONS`,
        properties: { columns: PREDICTIONS_COLUMNS, comment: `${f.tableLabel}: ML model prediction outputs`, changeTracking: false, dataRetentionTimeInDays: f.predictionRetentionDays },
        source: "§1.3",
    });
    if (env === "PRD") {
        sql({
            type: TYPES.table,
            id: piped(ml, "OUTPUT", "PREDICTIONS_HISTORY"),
            label: `${ml}.OUTPUT.PREDICTIONS_HISTORY`,
            properties: { comment: "PRODUCTION: Historical archive of predictions" },
            source: "§1.3 (nothing in the original writes to it)",
            keep: "may hold rows someone archived by hand: drop only after checking it is empty (or after copying its rows)",
            cleanup: `SELECT COUNT(*) FROM ${ml}.OUTPUT.PREDICTIONS_HISTORY; -- if 0: DROP TABLE ${ml}.OUTPUT.PREDICTIONS_HISTORY;`,
        });
    }
    if (env === "UAT") {
        sql({
            type: TYPES.table,
            id: piped(ml, "OUTPUT", "UAT_VALIDATION_METRICS"),
            label: `${ml}.OUTPUT.UAT_VALIDATION_METRICS`,
            properties: { comment: "UAT: Validation metrics for pre-production testing" },
            source: "§1.3 (nothing in the original writes to it)",
            keep: "may hold rows written by hand: drop only after checking it is empty",
            cleanup: `SELECT COUNT(*) FROM ${ml}.OUTPUT.UAT_VALIDATION_METRICS; -- if 0: DROP TABLE ${ml}.OUTPUT.UAT_VALIDATION_METRICS;`,
        });
    }

    // §1.4 views
    const view = (name: string, what: string, source: string, cleanup?: string) =>
        sql({ type: TYPES.view, id: quoted(ml, "OUTPUT", name), label: `${ml}.OUTPUT.${name}`, properties: { statement: `(original) ${what}` }, source, cleanup });
    if (env === "UAT") view("RECENT_PREDICTIONS", "the 5 PREDICTIONS columns of the last 3 days, newest first", "§1.4");
    if (env === "PRD") {
        view("RECENT_PREDICTIONS", "the 5 PREDICTIONS columns of the last 7 days, newest first", "§1.4");
        view("PREDICTION_STATS", "per day and model version: total, 1s, 0s, avg/min/max confidence", "§1.4");
    }
    if (env === "UAT") view("UAT_TEST_SUMMARY", "per day, test and status over UAT_VALIDATION_METRICS", "§1.4 (02b only, not in 99)", `DROP VIEW IF EXISTS ${ml}.OUTPUT.UAT_TEST_SUMMARY;`);

    // §1.5 stages
    const stageComments: Record<string, string> = { ML_CODE_STAGE: "Storage for Python ML logic files", MODELS_STAGE: "Storage for trained ML models" };
    for (const [stage, comment] of Object.entries(stageComments)) {
        sql({
            type: TYPES.stage,
            id: piped(ml, "PIPELINES", stage),
            label: `${ml}.PIPELINES.${stage}`,
            properties: { directory: "ENABLE = true", comment: `${env}: ${comment}` },
            source: "§1.5",
        });
    }

    // §1.7 role, hierarchy and grants (04 is canonical; 99 grants a subset, §1.8)
    sql({
        type: TYPES.accountRole,
        id: quoted(role),
        label: role,
        properties: { comment: ROLE_COMMENTS[env] },
        source: "§1.7 sql/04_setup_roles_and_grants.sql",
        keep: "the environment's pipeline role, which owns and runs the new graph: if the stack does not declare it, the administrator's bootstrap does; never drop it",
    });
    sql({
        type: TYPES.roleGrant,
        id: `${quoted(role)}|ROLE|"SYSADMIN"`,
        label: `${role} granted to SYSADMIN`,
        properties: {},
        source: "§1.7",
        keep: "Snowflake's recommended hierarchy (custom roles under SYSADMIN); harmless to keep, revoke if your account does otherwise",
    });
    sql({
        type: TYPES.roleGrant,
        id: `${quoted(role)}|ROLE|"ML_CICD_ROLE"`,
        label: `${role} granted to ML_CICD_ROLE`,
        properties: {},
        source: "§1.7",
        cleanup: `REVOKE ROLE ${role} FROM ROLE ML_CICD_ROLE;`,
    });
    const grant = (privileges: string[] | "ALL", target: string, label: string, source = "§1.7") =>
        sql({
            type: TYPES.grant,
            id: grantId(role, privileges === "ALL" ? "ALL" : privileges.join(","), target),
            label: `${role}: ${privileges === "ALL" ? "ALL" : privileges.join(", ")} on ${label}`,
            properties: { privileges },
            source,
        });
    const prd = env === "PRD";
    grant(["USAGE", "OPERATE", "MONITOR"], `OnAccountObject|WAREHOUSE|${quoted(f.warehouse.name)}`, `warehouse ${f.warehouse.name}`);
    grant(["USAGE"], `OnAccountObject|DATABASE|${quoted(raw)}`, `database ${raw}`);
    grant(["USAGE"], `OnSchema|OnSchema|${quoted(raw, "PUBLIC")}`, `schema ${raw}.PUBLIC`);
    grant(["SELECT"], `OnSchemaObject|OnAll|TABLES|InSchema|${quoted(raw, "PUBLIC")}`, `all tables in ${raw}.PUBLIC`);
    grant(["SELECT"], `OnSchemaObject|OnFuture|TABLES|InSchema|${quoted(raw, "PUBLIC")}`, `future tables in ${raw}.PUBLIC`, "§1.7 (99 omits it in UAT, §1.8)");
    grant(prd ? ["USAGE"] : "ALL", `OnAccountObject|DATABASE|${quoted(ml)}`, `database ${ml}`);
    for (const schema of ["PIPELINES", "FEATURES", "OUTPUT"]) {
        const fqn = quoted(ml, schema);
        // PRD: "USAGE + ALL" on PIPELINES is ALL; FEATURES and OUTPUT get USAGE + CREATE TABLE.
        grant(prd && schema !== "PIPELINES" ? ["USAGE", "CREATE TABLE"] : "ALL", `OnSchema|OnSchema|${fqn}`, `schema ${ml}.${schema}`);
        grant("ALL", `OnSchemaObject|OnAll|TABLES|InSchema|${fqn}`, `all tables in ${ml}.${schema}`);
        grant("ALL", `OnSchemaObject|OnFuture|TABLES|InSchema|${fqn}`, `future tables in ${ml}.${schema}`, "§1.7 (99 omits it, §1.8)");
    }
    const pipelines = quoted(ml, "PIPELINES");
    grant("ALL", `OnSchemaObject|OnAll|STAGES|InSchema|${pipelines}`, `all stages in ${ml}.PIPELINES`);
    grant("ALL", `OnSchemaObject|OnFuture|STAGES|InSchema|${pipelines}`, `future stages in ${ml}.PIPELINES`, "§1.7 (99 omits it, §1.8)");
    if (env === "UAT" || prd) grant("ALL", `OnSchemaObject|OnAll|VIEWS|InSchema|${quoted(ml, "OUTPUT")}`, `all views in ${ml}.OUTPUT`, "§1.7 (99 omits it, §1.8)");

    // §2.2 task graph, owned by the CI role (ML_<ENV>_ROLE)
    sql({
        type: TYPES.task,
        id: quoted(ml, "PIPELINES", ROOT_TASK),
        label: `${ml}.PIPELINES.${ROOT_TASK}`,
        // [lib] dagv1 deploy() resumes a scheduled root in every environment (§2.2).
        properties: { schedule: { minutes: 1440 }, warehouse: f.warehouse.name, started: true, sqlStatement: "(original) placeholder statement of the DAG root" },
        source: "§2.2 scripts/deploy_pipeline.py (owned by the CI role)",
    });
    for (const child of OLD_CHILD_TASKS) {
        const name = `${ROOT_TASK}$${child}`;
        sql({
            type: TYPES.task,
            id: quoted(ml, "PIPELINES", name),
            label: `${ml}.PIPELINES.${name}`,
            properties: { warehouse: f.warehouse.name },
            source: "§2.2",
            cleanup: `DROP TASK IF EXISTS ${ml}.PIPELINES."${name}";  -- with the root suspended`,
        });
    }

    // §2.3, §2.4 objects made at run time by the old pipeline
    sql({
        type: "original:stagedFile",
        id: `@${ml}.PIPELINES.ML_CODE_STAGE/ml_logic.py`,
        label: `@${ml}.PIPELINES.ML_CODE_STAGE/ml_logic.py (and the tasks' pickled handlers)`,
        properties: {},
        source: "§2.2, §2.3 (uploaded by the workflow)",
        cleanup: `LIST @${ml}.PIPELINES.ML_CODE_STAGE; REMOVE @${ml}.PIPELINES.ML_CODE_STAGE;  -- this project stages nothing there (its procedures carry their code inline), so what LIST shows is the old system's; the stage itself stays`,
    });
    sql({
        type: TYPES.tag,
        id: quoted(ml, "FEATURES", "SNOWML_FEATURE_STORE_ENTITY_CUSTOMER_ENTITY"),
        label: `Feature Store entity CUSTOMER_ENTITY (${ml}.FEATURES)`,
        properties: {},
        source: "§2.4 (made when the old tasks ran)",
        cleanup: `-- Python: FeatureStore(session, "${ml}", "FEATURES", ...).delete_entity("CUSTOMER_ENTITY")  (after deleting its feature view)`,
    });
    sql({
        type: TYPES.dynamicTable,
        id: piped(ml, "FEATURES", "CUSTOMER_FEATURES$V1"),
        label: `Feature view CUSTOMER_FEATURES v1 (${ml}.FEATURES."CUSTOMER_FEATURES$V1")`,
        properties: {},
        source: "§2.4 (made when the old tasks ran)",
        cleanup: `-- Python: FeatureStore(session, "${ml}", "FEATURES", ...).delete_feature_view("CUSTOMER_FEATURES", "v1")`,
    });
    sql({
        type: "original:model",
        id: `${ml}.PIPELINES.CHURN_MODEL/v1_latest`,
        label: `Model CHURN_MODEL version v1_latest (${ml}.PIPELINES)`,
        properties: {},
        source: "§2.4 (made when the old tasks ran)",
        keep: "the new pipeline adds its versions to the same model and counts a default version as champion only if its own gate promoted it (docs/operations.md), so v1_latest is kept and never compared",
    });

    // §3 the old workflow and its secrets
    add({
        type: "original:workflow",
        id: `.github/workflows/snowflake_ml_deploy.yml@${f.branch}`,
        label: `workflow snowflake_ml_deploy.yml on ${f.branch}`,
        properties: {},
        source: "§3",
        certainty: "script",
        cleanup: `git rm .github/workflows/snowflake_ml_deploy.yml  # in the merge that brings this project to ${f.branch}: it would redeploy (or_replace) the old graph`,
    });
    add({
        type: "github:index/actionsSecret:ActionsSecret",
        id: `${repository}/SNOWFLAKE_${env}_ROLE`,
        label: `repository secret SNOWFLAKE_${env}_ROLE`,
        properties: {},
        source: "§3, §4",
        certainty: "manual",
        cleanup: `gh secret delete SNOWFLAKE_${env}_ROLE --repo <owner>/${repository}  # after the ${env.toLowerCase()} switch: the old workflow reads it until then`,
    });

    // §4 GitHub settings made by hand
    // A hand-made rule the program does not declare under the same pattern still protects its
    // branches, and wins: GitHub applies rules with wildcards in the order they were created,
    // older first, and a rule naming a branch exactly before any pattern (docs.github.com,
    // "About protected branches": "Protected branch rules that mention a special character ...
    // are applied in the order they were created, so older rules with these characters have a
    // higher priority"). So it goes before admin/github's `pulumi up` creates the program's rule.
    const protection = (pattern: string, properties: Record<string, unknown>) =>
        add({
            type: TYPES.branchProtection,
            id: `${repository}:${pattern}`,
            label: `branch protection ${pattern}`,
            properties,
            source: "§4 docs/BRANCH_PROTECTION.md",
            certainty: "manual",
            cleanup: `delete the rule "${pattern}" (Settings > Branches, or GraphQL deleteBranchProtectionRule) right before the admin/github pulumi up: an older rule matching the same branches takes priority over the program's`,
        });
    if (env === "SIT") protection("development", { requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireConversationResolution: true, allowsForcePushes: false, allowsDeletions: false });
    if (env === "UAT") protection("release/**", { requiredApprovingReviewCount: 1, allowsForcePushes: false });
    if (env === "UAT") {
        add({
            type: TYPES.repositoryEnvironment,
            id: `${repository}:non-production`,
            label: "GitHub environment non-production",
            properties: {},
            source: "§4 (optional)",
            certainty: "optional",
            cleanup: `gh api -X DELETE repos/<owner>/${repository}/environments/non-production  # after the last non-production switch`,
        });
    }
    if (prd) {
        protection("main", {
            requiredApprovingReviewCount: 2,
            dismissStaleReviews: true,
            requireCodeOwnerReviews: true,
            requiredStatusChecks: ["test_and_deploy"],
            requireConversationResolution: true,
            enforceAdmins: true,
            allowsForcePushes: false,
            allowsDeletions: false,
        });
        add({
            type: TYPES.repositoryEnvironment,
            id: `${repository}:production`,
            label: "GitHub environment production",
            properties: { deploymentBranchPolicy: "selected branches", reviewers: "2 recommended (ML Lead, DevOps Engineer, Product Owner)" },
            source: "§4",
            certainty: "manual",
        });
        add({
            type: TYPES.deploymentPolicy,
            id: `${repository}:production:main`,
            label: "deployment branch policy main of production",
            properties: {},
            source: "§4 (deployment branches: selected, main only)",
            certainty: "manual",
        });
        add({
            type: TYPES.environmentSecret,
            id: `${repository}:production:SNOWFLAKE_PRD_ROLE`,
            label: "production secret SNOWFLAKE_PRD_ROLE",
            properties: {},
            source: "§4",
            certainty: "manual",
            cleanup: `gh secret delete SNOWFLAKE_PRD_ROLE --env production --repo <owner>/${repository}  # after the prd switch: the old workflow on main reads it until then`,
        });
        add({
            type: TYPES.environmentSecret,
            id: `${repository}:production:SNOWFLAKE_USER`,
            label: "production secret SNOWFLAKE_USER (github_actions_prd_user)",
            properties: {},
            source: "§4 (optional override)",
            certainty: "optional",
            cleanup: `gh secret delete SNOWFLAKE_USER --env production --repo <owner>/${repository}  # after the prd switch: the old workflow on main reads it until then`,
        });
        add({
            type: TYPES.environmentSecret,
            id: `${repository}:production:SNOWFLAKE_PRIVATE_KEY`,
            label: "production secret SNOWFLAKE_PRIVATE_KEY",
            properties: {},
            source: "§4 (optional override)",
            certainty: "optional",
            // The deploy job of this project reads a secret of the same name in the same
            // environment (stacks/githubGovernance.ts ENVIRONMENT_SECRETS), with another user's key.
            keep: `the new deploy job reads a secret of this name in production: at the prd switch, not before (the old workflow on main reads it until then), overwrite it with the key of ${String(readStackFile(env.toLowerCase())["snowflake-mlops:snowflakeDeployUser"])}: gh secret set SNOWFLAKE_PRIVATE_KEY --env production --repo <owner>/${repository}`,
        });

        // Shared by every environment: listed with the last one switched.
        sql({
            type: TYPES.accountRole,
            id: quoted("ML_CICD_ROLE"),
            label: "ML_CICD_ROLE (shared by all environments)",
            properties: { comment: "Role for GitHub Actions CI/CD pipeline" },
            source: "§1.7",
            cleanup: "DROP ROLE IF EXISTS ML_CICD_ROLE;  -- after the last environment is switched; also drops its grants",
        });
        sql({
            type: TYPES.roleGrant,
            id: `"ML_CICD_ROLE"|ROLE|"SYSADMIN"`,
            label: "ML_CICD_ROLE granted to SYSADMIN",
            properties: {},
            source: "§1.7",
            cleanup: "(dropped with ML_CICD_ROLE)",
        });
        for (const name of ["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY"]) {
            add({
                type: "github:index/actionsSecret:ActionsSecret",
                id: `${repository}/${name}`,
                label: `repository secret ${name} (shared by all environments)`,
                properties: {},
                source: "§3, §4",
                certainty: "manual",
                cleanup: `gh secret delete ${name} --repo <owner>/${repository}  # after the last environment is switched`,
            });
        }
    }
    return out;
}

/** §1.7 */
const ROLE_COMMENTS: Record<Env, string> = {
    DEV: "Role for ML developers working in DEV environment",
    SIT: "Role for ML testing in SIT environment",
    UAT: "Role for ML UAT pre-production validation",
    PRD: "Role for ML production pipeline execution",
};

/**
 * GitHub objects (repository settings, environments, their secrets) belong to the adoption of
 * the administrator's project admin/github, which declares the GitHub side of every stack; the
 * environment stacks declare only Snowflake objects and adopt the rest.
 */
export function isGithubObject(o: Pick<OriginalObject, "type">): boolean {
    return o.type.startsWith("github:");
}

export function isEnv(value: string): value is Env {
    return value in ENVS;
}
