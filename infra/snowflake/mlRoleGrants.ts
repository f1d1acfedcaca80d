/**
 * What ML_{ENV}_ROLE may do, as data (SPEC §4). The component in mlRole.ts turns these
 * into grant resources; the tests and the policy pack read the same lists.
 */
import { SCHEMAS } from "./names";

/** Object kinds of the ML schemas the role fully uses outside production. */
export const FULL_USE_OBJECT_TYPES = ["TABLES", "VIEWS", "STAGES", "DYNAMIC TABLES", "MODELS", "PROCEDURES", "TASKS"] as const;

export interface SchemaGrantPlan {
    /** Schema name within the ML database. */
    schema: string;
    /** Privileges on the schema itself; `ALL` = ALL PRIVILEGES. */
    schemaPrivileges: string[] | "ALL";
    /** Privileges on current and future objects of each kind in the schema; `ALL` = ALL PRIVILEGES. */
    objects: { objectTypePlural: string; privileges: string[] | "ALL" }[];
}

/**
 * Production: USAGE plus only the CREATE privileges the pipeline needs per schema, and
 * read/write on the kinds of objects it writes (bookkeeping tables, predictions, stages).
 * The role owns what it creates (procedures, tasks, models, feature views), so it needs
 * no grants on those.
 */
/** What Snowpark's write_pandas creates (temporary) in the schema of the table it loads. */
const WRITE_PANDAS_PRIVILEGES = ["CREATE STAGE", "CREATE FILE FORMAT"];

export const PRODUCTION_SCHEMA_GRANTS: SchemaGrantPlan[] = [
    {
        schema: SCHEMAS.pipelines,
        // CREATE STAGE and CREATE FILE FORMAT: write_pandas loads through a temporary stage and
        // file format in the target table's schema; model logging stages files too.
        // CREATE ALERT: the role owns the failure and drift alerts (infra/snowflake/observability.ts).
        schemaPrivileges: ["USAGE", "CREATE PROCEDURE", "CREATE TASK", "CREATE MODEL", "CREATE ALERT", ...WRITE_PANDAS_PRIVILEGES],
        objects: [
            { objectTypePlural: "TABLES", privileges: ["SELECT", "INSERT"] },
            { objectTypePlural: "STAGES", privileges: ["READ", "WRITE"] },
        ],
    },
    {
        schema: SCHEMAS.features,
        // The Feature Store keeps entities as tags and feature views as views, or as dynamic
        // tables only when registered with a refresh_freq; ml/src/churn_ml/snowpark_store.py
        // registers CUSTOMER_FEATURES without one, so no CREATE DYNAMIC TABLE. The pipeline
        // writes the rows behind the feature view (CUSTOMER_FEATURES_SOURCE).
        schemaPrivileges: ["USAGE", "CREATE TAG", "CREATE VIEW", "CREATE TABLE", ...WRITE_PANDAS_PRIVILEGES],
        objects: [],
    },
    {
        schema: SCHEMAS.output,
        // Predictions are appended with write_pandas.
        schemaPrivileges: ["USAGE", ...WRITE_PANDAS_PRIVILEGES],
        objects: [
            { objectTypePlural: "TABLES", privileges: ["SELECT", "INSERT"] },
            { objectTypePlural: "VIEWS", privileges: ["SELECT"] },
        ],
    },
];

/** dev, sit, uat: full use of every ML schema and of every kind of object in it. */
export function fullUseSchemaGrants(schemas: string[]): SchemaGrantPlan[] {
    return schemas.map((schema) => ({
        schema,
        schemaPrivileges: "ALL",
        objects: FULL_USE_OBJECT_TYPES.map((objectTypePlural) => ({ objectTypePlural, privileges: "ALL" as const })),
    }));
}

/**
 * EXECUTE TASK, without which the role's task graph never runs (SPEC §8), and EXECUTE ALERT,
 * without which the alerts it owns never run (observability.ts). No EXECUTE MANAGED TASK:
 * every task runs on a warehouse (retrainingGraph.ts), none is serverless.
 */
export const ACCOUNT_PRIVILEGES = ["EXECUTE TASK", "EXECUTE ALERT"];
