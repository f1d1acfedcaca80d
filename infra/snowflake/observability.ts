/**
 * Observability inside Snowflake for one environment:
 *
 * - the monitoring views PIPELINE_RUN_HISTORY, MODEL_VERSION_HISTORY and PREDICTION_DRIFT in
 *   `{ENV}_ML_DB.OUTPUT` (the schema where ML_{ENV}_ROLE already reads views in every
 *   environment, so no new grants are needed), created by the deploy role like the other views;
 * - the email notification integration `{ENV}_ML_ALERTS` (deploy role; needs CREATE
 *   INTEGRATION on the account, a bootstrap privilege) and USAGE on it for ML_{ENV}_ROLE;
 * - two alerts in `{ENV}_ML_DB.PIPELINES`, created through the `pipeline` provider and so
 *   owned by ML_{ENV}_ROLE: the role that runs the graph also watches it. The owner needs
 *   EXECUTE ALERT (account), CREATE ALERT (PIPELINES), USAGE on the alert warehouse and the
 *   integration, SELECT on what the conditions read (mlRoleGrants.ts), and the SNOWFLAKE
 *   database role ALERT_VIEWER for the scheduled-time functions (bootstrap);
 * - the alerts' own warehouse `{ENV}_WH_ALERTS`, XSMALL, auto-suspend 60 s. A check resumes
 *   the warehouse it runs on and keeps it up until auto-suspend: on prd's LARGE warehouse
 *   (8 credits/h, 300 s) an hourly check would bill ~0.67 credits, ~480 a month; on this one
 *   ~0.018, ~13 a month (tools/plan/credits.ts prints the estimate per stack).
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { fqn, SCHEMAS } from "./names";
import { TASKS } from "./pipelineSteps";
import { ComputeWarehouse } from "./warehouse";
import { ignoreMonitorAttachment } from "./costControl";
import {
    modelVersionHistorySql,
    MONITORING_VIEWS,
    pipelineFailureConditionSql,
    pipelineRunHistorySql,
    predictionDriftConditionSql,
    predictionDriftSql,
    sendEmailSql,
} from "./monitoringViews";

/** The failure alert looks back exactly one interval, so each failure is mailed once. */
export const FAILURE_ALERT_INTERVAL_MINUTES = 60;
/** Drift is checked once a day, after the daily runs (schedules 02:00-04:00 UTC). */
export const DRIFT_ALERT_CRON = { expression: "0 8 * * *", timeZone: "UTC" };
/** The alert warehouse: the smallest size, suspended after Snowflake's one-minute billing minimum. */
export const ALERT_WAREHOUSE = { size: "XSMALL", autoSuspendSeconds: 60, statementTimeoutSeconds: 600 } as const;

export interface ObservabilityArgs {
    env: string;
    /** `{ENV}_ML_DB`. */
    mlDatabase: string;
    /** OUTPUT and PIPELINES schema names (resource outputs, so creation waits for them). */
    outputSchema: pulumi.Input<string>;
    pipelinesSchema: pulumi.Input<string>;
    /** Tables the views and alerts read; views and alerts wait for them. */
    sourceTables: pulumi.Resource[];
    /** OUTPUT's FUTURE grants, which the views wait for (grant race, mlRole.ts). */
    outputFutureGrants: pulumi.Resource[];
    /** `{ENV}_WH_ALERTS`, the alerts' own warehouse, declared here. */
    alertWarehouseName: string;
    /** `{ENV}_ML_ALERTS`. */
    integrationName: string;
    recipients: string[];
    driftPsiThreshold: number;
    /** ML_{ENV}_ROLE, which owns the alerts and receives USAGE on the integration. */
    alertOwnerRole: pulumi.Input<string>;
    /** Grants the alert owner needs before its alerts can be created (EXECUTE ALERT, CREATE ALERT, SELECT). */
    alertOwnerGrants: pulumi.Resource[];
    /** Provider acting as the alert owner (the stack's `pipeline` provider). */
    alertProvider: snowflake.Provider;
    /** Alerts run only where the graph runs on its schedule (prd); elsewhere they exist, disabled. */
    alertsEnabled: boolean;
}

export class Observability extends pulumi.ComponentResource {
    readonly alertWarehouse: ComputeWarehouse;
    readonly alertWarehouseUsage: snowflake.GrantPrivilegesToAccountRole;
    readonly runHistoryView: snowflake.View;
    readonly modelVersionHistoryView: snowflake.View;
    readonly predictionDriftView: snowflake.View;
    readonly integration: snowflake.EmailNotificationIntegration;
    readonly integrationUsage: snowflake.GrantPrivilegesToAccountRole;
    readonly failureAlert: snowflake.Alert;
    readonly driftAlert: snowflake.Alert;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:Observability", name, {}, opts);
        this.alertWarehouse = new ComputeWarehouse(
            `${name}-alert-compute`,
            { name: args.alertWarehouseName, ...ALERT_WAREHOUSE, env: args.env, purpose: "alert checks only" },
            // The resource monitor is attached by the account-admin provider (costControl.ts).
            { parent: this, transformations: [ignoreMonitorAttachment] },
        );
        this.alertWarehouseUsage = new snowflake.GrantPrivilegesToAccountRole(
            `${name}-alert-warehouse-usage`,
            { accountRoleName: args.alertOwnerRole, privileges: ["USAGE"], onAccountObject: { objectType: "WAREHOUSE", objectName: this.alertWarehouse.warehouse.name } },
            { parent: this },
        );
        const view = (key: string, viewName: string, statement: string, comment: string) =>
            new snowflake.View(
                `${name}-${key}`,
                { database: args.mlDatabase, schema: args.outputSchema, name: viewName, statement, comment, copyGrants: true },
                // The SQL names the tables as text: order through dependsOn.
                { parent: this, dependsOn: [...args.sourceTables, ...args.outputFutureGrants] },
            );
        this.runHistoryView = view("pipeline-run-history", MONITORING_VIEWS.pipelineRunHistory, pipelineRunHistorySql(args.mlDatabase), "One row per task graph run: outcome, duration, rows, model version.");
        this.modelVersionHistoryView = view("model-version-history", MONITORING_VIEWS.modelVersionHistory, modelVersionHistorySql(args.mlDatabase), "Held-out metrics and validation gate decision per model version.");
        this.predictionDriftView = view("prediction-drift", MONITORING_VIEWS.predictionDrift, predictionDriftSql(args.mlDatabase), "PSI of the confidence scores per day and model version against the version's baseline.");

        this.integration = new snowflake.EmailNotificationIntegration(
            `${name}-integration`,
            { name: args.integrationName, enabled: true, allowedRecipients: args.recipients, comment: `${args.env} ML platform alerts. Managed by Pulumi.` },
            { parent: this },
        );
        this.integrationUsage = new snowflake.GrantPrivilegesToAccountRole(
            `${name}-integration-usage`,
            { accountRoleName: args.alertOwnerRole, privileges: ["USAGE"], onAccountObject: { objectType: "INTEGRATION", objectName: this.integration.name } },
            { parent: this },
        );

        const runGraph = fqn(args.mlDatabase, SCHEMAS.pipelines, TASKS.root);
        // Both alerts: owned by the alert role, in PIPELINES, mailing the recipients.
        const alert = (key: string, alertName: string, spec: Pick<snowflake.AlertArgs, "alertSchedule" | "condition" | "comment">, subject: string, body: string, reads: pulumi.Resource[]) =>
            new snowflake.Alert(
                `${name}-${key}`,
                {
                    database: args.mlDatabase,
                    schema: args.pipelinesSchema,
                    name: alertName,
                    warehouse: this.alertWarehouse.warehouse.name,
                    action: sendEmailSql(args.integrationName, args.recipients, subject, body),
                    enabled: args.alertsEnabled,
                    ...spec,
                },
                { parent: this, provider: args.alertProvider, dependsOn: [...args.alertOwnerGrants, this.integrationUsage, this.alertWarehouseUsage, ...reads] },
            );
        this.failureAlert = alert(
            "pipeline-failed",
            "ML_PIPELINE_FAILED_ALERT",
            {
                alertSchedule: { interval: FAILURE_ALERT_INTERVAL_MINUTES },
                condition: pipelineFailureConditionSql(args.mlDatabase, FAILURE_ALERT_INTERVAL_MINUTES),
                comment: "Mails the alert recipients when the finalizer records a FAILED run.",
            },
            `[${args.env}] ML pipeline run failed`,
            `A run of ${runGraph} failed since the previous check. See ${fqn(args.mlDatabase, SCHEMAS.output, MONITORING_VIEWS.pipelineRunHistory)}.`,
            args.sourceTables,
        );
        this.driftAlert = alert(
            "prediction-drift",
            "ML_PREDICTION_DRIFT_ALERT",
            {
                alertSchedule: { cron: DRIFT_ALERT_CRON },
                condition: predictionDriftConditionSql(args.mlDatabase, args.driftPsiThreshold),
                comment: "Mails the alert recipients when today's PSI of some model version exceeds the threshold.",
            },
            `[${args.env}] Churn prediction drift above ${args.driftPsiThreshold}`,
            `Today's confidence scores drift from the model version's baseline (PSI > ${args.driftPsiThreshold}). See ${fqn(args.mlDatabase, SCHEMAS.output, MONITORING_VIEWS.predictionDrift)}.`,
            [this.predictionDriftView],
        );
        this.registerOutputs({ integration: this.integration.name });
    }
}
