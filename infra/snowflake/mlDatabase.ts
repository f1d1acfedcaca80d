import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import {
    Column,
    DATA_QUALITY_COLUMNS,
    GATE_DECISIONS_COLUMNS,
    MODEL_METRICS_COLUMNS,
    RUN_LOG_COLUMNS,
    SCORE_BASELINE_COLUMNS,
} from "./columns";
import { dataTable } from "./dataTable";
import { SCHEMAS, STAGES, TABLES } from "./names";

export interface MlDatabaseArgs {
    /** `{ENV}_ML_DB`. */
    databaseName: string;
    env: string;
    /** `protect` the database, schemas and bookkeeping tables (prd). */
    protect: boolean;
    /** What the stages and tables in PIPELINES wait for: its FUTURE grants (grant race, mlRole.ts). */
    pipelinesObjectsDependOn?: pulumi.Input<pulumi.Resource[]>;
}

const BOOKKEEPING: { key: string; name: string; columns: Column[]; comment: string }[] = [
    { key: "run-log", name: TABLES.runLog, columns: RUN_LOG_COLUMNS, comment: "One row per pipeline step and run; STEP = PIPELINE is the finalizer's summary." },
    { key: "model-metrics", name: TABLES.modelMetrics, columns: MODEL_METRICS_COLUMNS, comment: "Held-out metrics of every CHURN_MODEL version trained." },
    { key: "gate-decisions", name: TABLES.gateDecisions, columns: GATE_DECISIONS_COLUMNS, comment: "Validation gate decisions: promoted or refused, and why." },
    { key: "data-quality", name: TABLES.dataQuality, columns: DATA_QUALITY_COLUMNS, comment: "Rows failing each validation rule, per run." },
    { key: "score-baseline", name: TABLES.scoreBaseline, columns: SCORE_BASELINE_COLUMNS, comment: "Held-out score distribution per model version, the drift baseline." },
];

/**
 * `{ENV}_ML_DB` with its schemas (PIPELINES, FEATURES, OUTPUT), the code and model
 * stages, and the pipeline's bookkeeping tables. The Model Registry (CHURN_MODEL) and the
 * Feature Store (entity CUSTOMER, feature view CUSTOMER_FEATURES) are created inside these
 * schemas by the pipeline at run time; their data is protected with the database.
 */
export class MlDatabase extends pulumi.ComponentResource {
    readonly database: snowflake.Database;
    readonly pipelinesSchema: snowflake.Schema;
    readonly featuresSchema: snowflake.Schema;
    readonly outputSchema: snowflake.Schema;
    readonly mlCodeStage: snowflake.Stage;
    readonly modelsStage: snowflake.Stage;
    readonly bookkeepingTables: snowflake.Table[];

    constructor(name: string, args: MlDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:MlDatabase", name, {}, opts);
        const stateful = { parent: this, retainOnDelete: true, protect: args.protect };
        this.database = new snowflake.Database(
            `${name}-database`,
            { name: args.databaseName, dropPublicSchemaOnCreation: true, comment: `${args.env} ML pipeline: code, features, models, predictions. Managed by Pulumi.` },
            stateful,
        );
        // Managed access: the schema owner (the deploy role) may then define future grants,
        // which in a normal schema need MANAGE GRANTS even for the owner (docs.snowflake.com
        // GRANT <privileges> ... TO ROLE, future grants; release note 2023_08 bcr-1397).
        const schema = (key: string, schemaName: string, comment: string) =>
            new snowflake.Schema(`${name}-${key}`, { database: this.database.name, name: schemaName, withManagedAccess: "true", comment }, stateful);
        this.pipelinesSchema = schema("pipelines", SCHEMAS.pipelines, "Stored procedures, task graph, Model Registry (CHURN_MODEL), pipeline bookkeeping.");
        this.featuresSchema = schema("features", SCHEMAS.features, "Feature Store: entity CUSTOMER, feature view CUSTOMER_FEATURES.");
        this.outputSchema = schema("output", SCHEMAS.output, "Batch predictions and their views.");

        const stage = (key: string, stageName: string, comment: string) =>
            new snowflake.Stage(
                `${name}-${key}`,
                // Internal stage (no URL); the directory table lists staged files.
                { database: this.database.name, schema: this.pipelinesSchema.name, name: stageName, directory: "ENABLE = true", comment },
                { ...stateful, dependsOn: args.pipelinesObjectsDependOn },
            );
        this.mlCodeStage = stage("ml-code-stage", STAGES.mlCode, "ML code artifacts.");
        this.modelsStage = stage("models-stage", STAGES.models, "Model artifacts.");

        this.bookkeepingTables = BOOKKEEPING.map((t) =>
            dataTable(
                `${name}-${t.key}`,
                { database: this.database.name, schema: this.pipelinesSchema.name, name: t.name, columns: t.columns, comment: t.comment },
                args.protect,
                { parent: this, dependsOn: args.pipelinesObjectsDependOn },
            ),
        );
        this.registerOutputs({ database: this.database.name });
    }
}
