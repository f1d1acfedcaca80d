import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { PREDICTIONS_COLUMNS } from "./columns";
import { dataTable } from "./dataTable";
import { TABLES, VIEWS } from "./names";
import { predictionStatsSql, recentPredictionsSql } from "./predictionViews";

export interface PredictionOutputArgs {
    /** `{ENV}_ML_DB`. */
    mlDatabase: string;
    /** The OUTPUT schema (its name; passing the resource's output orders creation). */
    outputSchema: pulumi.Input<string>;
    /** Time Travel retention of PREDICTIONS, days (0-90). */
    retentionDays: number;
    /** Window of RECENT_PREDICTIONS, days. */
    recentDays: number;
    protect: boolean;
    /** What the table and views wait for: OUTPUT's FUTURE grants (grant race, mlRole.ts). */
    objectsDependOn?: pulumi.Resource[];
}

/** `OUTPUT.PREDICTIONS` (append-only, written by batch inference) and its two views. */
export class PredictionOutput extends pulumi.ComponentResource {
    readonly predictionsTable: snowflake.Table;
    readonly recentPredictionsView: snowflake.View;
    readonly predictionStatsView: snowflake.View;

    constructor(name: string, args: PredictionOutputArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:PredictionOutput", name, {}, opts);
        this.predictionsTable = dataTable(
            `${name}-predictions`,
            {
                database: args.mlDatabase,
                schema: args.outputSchema,
                name: TABLES.predictions,
                columns: PREDICTIONS_COLUMNS,
                dataRetentionTimeInDays: args.retentionDays,
                comment: "Churn predictions, one row per customer and run; never updated or deleted by the pipeline.",
            },
            args.protect,
            { parent: this, dependsOn: args.objectsDependOn },
        );
        // Views depend on the table through dependsOn: their SQL names it as text.
        const view = (key: string, viewName: string, statement: string, comment: string) =>
            new snowflake.View(
                `${name}-${key}`,
                { database: args.mlDatabase, schema: args.outputSchema, name: viewName, statement, comment, copyGrants: true },
                { parent: this, dependsOn: [this.predictionsTable, ...(args.objectsDependOn ?? [])] },
            );
        this.recentPredictionsView = view(
            "recent-predictions",
            VIEWS.recentPredictions,
            recentPredictionsSql(args.mlDatabase, args.recentDays),
            `Predictions of the last ${args.recentDays} days.`,
        );
        this.predictionStatsView = view("prediction-stats", VIEWS.predictionStats, predictionStatsSql(args.mlDatabase), "Prediction counts and confidence per day and model version.");
        this.registerOutputs({ predictionsTable: this.predictionsTable.fullyQualifiedName });
    }
}
