/**
 * The guardrails each real stack declares (evaluated once per stack from its stack file):
 * resource monitor, tags, notification integration, alerts, monitoring views, the grants
 * the alerts need, and that every column their SQL uses is one the pipeline writes.
 */
import { Evaluation, RecordedResource } from "../tools/evaluate";
import { evaluated, named, ofType, STACKS, stackValue, T } from "./support/stacks";
import {
    Column,
    GATE_DECISIONS_COLUMNS,
    MODEL_METRICS_COLUMNS,
    PREDICTIONS_COLUMNS,
    RUN_LOG_COLUMNS,
    SCORE_BASELINE_COLUMNS,
} from "../infra/snowflake/columns";
import { PREVIEW_FEATURE_OF_TYPE, PREVIEW_FEATURES } from "../infra/snowflake/providers";
import {
    modelVersionHistorySql,
    pipelineFailureConditionSql,
    pipelineRunHistorySql,
    predictionDriftConditionSql,
    predictionDriftSql,
    sendEmailSql,
} from "../infra/snowflake/monitoringViews";
import { DRIFT_ALERT_CRON, FAILURE_ALERT_INTERVAL_MINUTES } from "../infra/snowflake/observability";

const TYPE = {
    monitor: "snowflake:index/resourceMonitor:ResourceMonitor",
    tag: "snowflake:index/tag:Tag",
    tagAssociation: "snowflake:index/tagAssociation:TagAssociation",
    integration: "snowflake:index/emailNotificationIntegration:EmailNotificationIntegration",
    alert: "snowflake:index/alert:Alert",
};

const evaluations = new Map<string, Evaluation>();
beforeAll(async () => {
    for (const stack of STACKS) evaluations.set(stack, await evaluated(stack));
});

const providerOf = (ev: Evaluation, r: RecordedResource) => ev.resources.find((p) => p.urn === r.provider)!;
const list = (v: unknown): string[] => (typeof v === "string" ? JSON.parse(v) : (v as string[]));

describe.each(STACKS.map((s) => [s]))("stack %s", (stack) => {
    const ev = () => evaluations.get(stack)!;
    const env = () => stackValue(stack, "env");
    const isPrd = () => env() === "PRD";
    const mlDb = () => `${env()}_ML_DB`;
    const emails = () => JSON.parse(stackValue(stack, "alertEmails")) as string[];

    describe("resource monitor (created and attached by the bootstrap, checked by the program)", () => {
        it("the stack declares no monitor, no attachment and no provider acting as an administrator role", () => {
            expect(ofType(ev(), TYPE.monitor)).toEqual([]);
            expect(ofType(ev(), T.execute).filter((r) => /RESOURCE_MONITOR/i.test(r.inputs.execute))).toEqual([]);
            expect(ofType(ev(), T.provider).map((p) => p.inputs.role)).toEqual([stackValue(stack, "snowflakeDeployRole"), `ML_${env()}_ROLE`]);
        });

        it("is read through the deploy provider, by exact name, with the stack's warehouses", () => {
            const reads = ev().calls.filter((c) => c.token.startsWith("snowflake:"));
            expect(reads.map((c) => [c.token, c.inputs.like])).toEqual([
                ["snowflake:index/getResourceMonitors:getResourceMonitors", `${env()}_ML_MONITOR`],
                ["snowflake:index/getWarehouses:getWarehouses", stackValue(stack, "snowflakeConnectionWarehouse")],
                ["snowflake:index/getWarehouses:getWarehouses", stackValue(stack, "warehouseName")],
                ["snowflake:index/getWarehouses:getWarehouses", `${env()}_WH_ALERTS`],
            ]);
        });
    });

    describe("tags", () => {
        it("declares ENVIRONMENT, COST_CENTER and OWNER in the ML database's PIPELINES schema", () => {
            expect(ofType(ev(), TYPE.tag).map((t) => [t.inputs.database, t.inputs.schema, t.inputs.name]).sort()).toEqual(
                ["COST_CENTER", "ENVIRONMENT", "OWNER"].map((n) => [mlDb(), "PIPELINES", n]),
            );
        });

        it("sets each tag with the stack's value on every database, schema and warehouse", () => {
            const values: Record<string, string> = { ENVIRONMENT: env(), COST_CENTER: stackValue(stack, "costCenter"), OWNER: stackValue(stack, "ownerTeam") };
            const objects: Record<string, string[]> = {
                DATABASE: ofType(ev(), T.database).map((d) => `"${d.inputs.name}"`),
                SCHEMA: ofType(ev(), T.schema).map((s) => `"${s.inputs.database}"."${s.inputs.name}"`),
                WAREHOUSE: ofType(ev(), T.warehouse).map((w) => `"${w.inputs.name}"`),
            };
            expect(objects.WAREHOUSE).toHaveLength(2);
            expect(objects.DATABASE).toHaveLength(2);
            expect(objects.SCHEMA).toHaveLength(4);
            const associations = ofType(ev(), TYPE.tagAssociation);
            expect(associations).toHaveLength(9);
            for (const [tag, value] of Object.entries(values)) {
                for (const [objectType, ids] of Object.entries(objects)) {
                    const found = associations.filter((a) => a.inputs.tagId === `"${mlDb()}"."PIPELINES"."${tag}"` && a.inputs.objectType === objectType);
                    expect(found.map((a) => [a.inputs.tagValue, [...a.inputs.objectIdentifiers].sort()])).toEqual([[value, [...ids].sort()]]);
                }
            }
        });
    });

    describe("notification integration", () => {
        it(`is ${"{ENV}"}_ML_ALERTS, enabled, for the configured recipients, owned by the deploy role`, () => {
            const integration = named(ev(), TYPE.integration, `${env()}_ML_ALERTS`);
            expect(integration.inputs).toEqual({ name: `${env()}_ML_ALERTS`, enabled: true, allowedRecipients: emails(), comment: `${env()} ML platform alerts. Managed by Pulumi.` });
            expect(providerOf(ev(), integration).name).toBe("snowflake-deploy");
        });

        it("grants USAGE on it to the ML role, which owns the alerts", () => {
            const usage = ofType(ev(), T.grant).filter((g) => g.inputs.onAccountObject?.objectType === "INTEGRATION");
            expect(usage.map((g) => g.inputs)).toEqual([{ accountRoleName: `ML_${env()}_ROLE`, privileges: ["USAGE"], onAccountObject: { objectType: "INTEGRATION", objectName: `${env()}_ML_ALERTS` } }]);
        });
    });

    describe("alerts", () => {
        it("never run on the environment's warehouse: on their own XSMALL one, auto-suspended after 60 s", () => {
            const alerts = ofType(ev(), TYPE.alert);
            expect(alerts.length).toBe(2);
            const main = stackValue(stack, "warehouseName");
            for (const a of alerts) expect({ alert: a.inputs.name, warehouse: a.inputs.warehouse }).toEqual({ alert: a.inputs.name, warehouse: `${env()}_WH_ALERTS` });
            expect(alerts.map((a) => a.inputs.warehouse)).not.toContain(main);
            const own = named(ev(), T.warehouse, `${env()}_WH_ALERTS`);
            expect(own.inputs).toMatchObject({ warehouseSize: "XSMALL", autoSuspend: 60, initiallySuspended: true, autoResume: "true" });
            // The alert owner may use it, and each alert waits for that grant.
            const usage = ofType(ev(), T.grant).find((g) => g.inputs.onAccountObject?.objectType === "WAREHOUSE" && g.inputs.onAccountObject.objectName === own.inputs.name && g.inputs.accountRoleName !== `PULUMI_${env()}_PREVIEW_ROLE`)!;
            expect(usage.inputs).toEqual({ accountRoleName: `ML_${env()}_ROLE`, privileges: ["USAGE"], onAccountObject: { objectType: "WAREHOUSE", objectName: own.inputs.name } });
            for (const a of alerts) expect(a.dependencies).toContain(usage.urn);
        });

        it("watches failed runs and drift from PIPELINES, as ML_{ENV}_ROLE, enabled only where the graph runs", () => {
            const alerts = ofType(ev(), TYPE.alert);
            expect(alerts.map((a) => a.inputs.name).sort()).toEqual(["ML_PIPELINE_FAILED_ALERT", "ML_PREDICTION_DRIFT_ALERT"]);
            for (const a of alerts) {
                expect([a.inputs.database, a.inputs.schema]).toEqual([mlDb(), "PIPELINES"]);
                expect(a.inputs.enabled).toBe(stackValue(stack, "pipelineStarted") === "true");
                const provider = providerOf(ev(), a);
                expect([provider.name, provider.inputs.role]).toEqual(["snowflake-pipeline", `ML_${env()}_ROLE`]);
                // Created only after the owner may run alerts and send mail.
                const accountGrant = ofType(ev(), T.grant).find((g) => g.name === "ml-role-account")!;
                const usage = ofType(ev(), T.grant).find((g) => g.inputs.onAccountObject?.objectType === "INTEGRATION")!;
                expect(a.dependencies).toEqual(expect.arrayContaining([accountGrant.urn, usage.urn]));
            }
            const failed = named(ev(), TYPE.alert, "ML_PIPELINE_FAILED_ALERT");
            expect(failed.inputs.alertSchedule).toEqual({ interval: FAILURE_ALERT_INTERVAL_MINUTES });
            expect(failed.inputs.condition).toBe(pipelineFailureConditionSql(mlDb(), FAILURE_ALERT_INTERVAL_MINUTES));
            expect(failed.inputs.action).toBe(
                sendEmailSql(`${env()}_ML_ALERTS`, emails(), `[${env()}] ML pipeline run failed`, `A run of "${mlDb()}"."PIPELINES"."ML_RETRAINING_PIPELINE" failed since the previous check. See "${mlDb()}"."OUTPUT"."PIPELINE_RUN_HISTORY".`),
            );
            // The window is the alert's own schedule (issue 9 §7), never the wall clock: a late or
            // skipped check neither misses a failure nor mails it twice.
            expect(failed.inputs.condition).toContain("FINISHED_AT > DATEADD(MINUTE, -5, CONVERT_TIMEZONE('UTC', COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(), DATEADD(MINUTE, -60, SNOWFLAKE.ALERT.SCHEDULED_TIME())))::TIMESTAMP_NTZ)");
            expect(failed.inputs.condition).toContain("FINISHED_AT <= DATEADD(MINUTE, -5, CONVERT_TIMEZONE('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::TIMESTAMP_NTZ)");
            expect(failed.inputs.condition).not.toContain("SYSDATE");
            const drift = named(ev(), TYPE.alert, "ML_PREDICTION_DRIFT_ALERT");
            const threshold = Number(stackValue(stack, "driftPsiThreshold"));
            expect(drift.inputs.alertSchedule).toEqual({ cron: DRIFT_ALERT_CRON });
            expect(drift.inputs.condition).toBe(predictionDriftConditionSql(mlDb(), threshold));
            expect(drift.inputs.condition).toContain(`PSI > ${threshold}`);
            expect(drift.inputs.action).toMatch(new RegExp(`^CALL SYSTEM\\$SEND_EMAIL\\('${env()}_ML_ALERTS', '${emails().join(",")}', `));
        });

        it("gives the ML role exactly the privileges its alerts need", () => {
            const account = ofType(ev(), T.grant).find((g) => g.name === "ml-role-account")!;
            expect(account.inputs.privileges).toEqual(["EXECUTE TASK", "EXECUTE ALERT"]);
            const pipelines = ofType(ev(), T.grant).find((g) => g.name === "ml-role-pipelines-schema")!;
            if (isPrd()) expect(pipelines.inputs.privileges).toContain("CREATE ALERT");
            else expect(pipelines.inputs.allPrivileges).toBe(true);
        });

        it("run on providers whose preview features include the alert and integration types", () => {
            const alertProvider = providerOf(ev(), ofType(ev(), TYPE.alert)[0]);
            expect(list(alertProvider.inputs.previewFeaturesEnabled)).toContain(PREVIEW_FEATURE_OF_TYPE[TYPE.alert]);
            expect(PREVIEW_FEATURES.pipeline).toContain(PREVIEW_FEATURE_OF_TYPE[TYPE.alert]);
            const integrationProvider = providerOf(ev(), ofType(ev(), TYPE.integration)[0]);
            expect(list(integrationProvider.inputs.previewFeaturesEnabled)).toContain(PREVIEW_FEATURE_OF_TYPE[TYPE.integration]);
            expect(PREVIEW_FEATURES.deploy).toContain(PREVIEW_FEATURE_OF_TYPE[TYPE.integration]);
        });
    });

    describe("monitoring views", () => {
        it("are declared in OUTPUT with the pure functions' SQL, after the tables they read", () => {
            const expected: Record<string, string> = {
                PIPELINE_RUN_HISTORY: pipelineRunHistorySql(mlDb()),
                MODEL_VERSION_HISTORY: modelVersionHistorySql(mlDb()),
                PREDICTION_DRIFT: predictionDriftSql(mlDb()),
            };
            const predictions = named(ev(), T.table, "PREDICTIONS");
            for (const [name, statement] of Object.entries(expected)) {
                const view = named(ev(), T.view, name);
                expect([view.inputs.database, view.inputs.schema, view.inputs.statement]).toEqual([mlDb(), "OUTPUT", statement]);
                expect(view.dependencies).toContain(predictions.urn);
            }
        });
    });
});

describe("the monitoring SQL uses only tables and columns the pipeline writes", () => {
    const DB = "DEV_ML_DB";
    const names = (cols: Column[]) => cols.map((c) => c.name);
    const COLUMNS: Record<string, string[]> = {
        [`${DB}.PIPELINES.PIPELINE_RUN_LOG`]: names(RUN_LOG_COLUMNS),
        [`${DB}.PIPELINES.MODEL_METRICS`]: names(MODEL_METRICS_COLUMNS),
        [`${DB}.PIPELINES.GATE_DECISIONS`]: names(GATE_DECISIONS_COLUMNS),
        [`${DB}.PIPELINES.SCORE_BASELINE`]: names(SCORE_BASELINE_COLUMNS),
        [`${DB}.OUTPUT.PREDICTIONS`]: names(PREDICTIONS_COLUMNS),
        // Output columns of the view (checked against the view's result in governance.psi.test.ts).
        [`${DB}.OUTPUT.PREDICTION_DRIFT`]: ["PREDICTION_DATE", "MODEL_VERSION", "PREDICTIONS", "BINS", "PSI"],
    };
    const statements: [string, string, string[]][] = [
        ["PIPELINE_RUN_HISTORY", pipelineRunHistorySql(DB), ["PIPELINES.PIPELINE_RUN_LOG"]],
        ["MODEL_VERSION_HISTORY", modelVersionHistorySql(DB), ["PIPELINES.MODEL_METRICS", "PIPELINES.GATE_DECISIONS"]],
        ["PREDICTION_DRIFT", predictionDriftSql(DB), ["OUTPUT.PREDICTIONS", "PIPELINES.SCORE_BASELINE"]],
        ["failure alert condition", pipelineFailureConditionSql(DB, 60), ["PIPELINES.PIPELINE_RUN_LOG"]],
        ["drift alert condition", predictionDriftConditionSql(DB, 0.2), ["OUTPUT.PREDICTION_DRIFT"]],
    ];

    it.each(statements)("%s", (_name, sql, tables) => {
        const use = sqlUse(sql);
        expect(use.tables.sort()).toEqual(tables.map((t) => `${DB}.${t}`).sort());
        const available = new Set(use.tables.flatMap((t) => COLUMNS[t]));
        expect(use.columns.filter((c) => !available.has(c))).toEqual([]);
        for (const { alias, column } of use.qualified) {
            const table = use.aliases[alias];
            expect(table).toBeDefined();
            // A table alias must name one of that table's columns; a CTE alias a base column or one the statement defines.
            const allowed = COLUMNS[table] ?? [...available, ...use.defined];
            expect(allowed).toContain(column);
        }
    });

    it("detects a column the pipeline does not write", () => {
        const use = sqlUse(`SELECT RUN_ID, NO_SUCH_COLUMN FROM "${DB}"."PIPELINES"."PIPELINE_RUN_LOG"`);
        expect(use.columns.filter((c) => !RUN_LOG_COLUMNS.some((col) => col.name === c))).toEqual(["NO_SUCH_COLUMN"]);
    });

    it("the alert action quotes its arguments so a message cannot break the statement", () => {
        expect(sendEmailSql("DEV_ML_ALERTS", ["a@example.com", "b@example.com"], "it's", "x")).toBe(
            "CALL SYSTEM$SEND_EMAIL('DEV_ML_ALERTS', 'a@example.com,b@example.com', 'it\\'s', 'x')",
        );
    });
});

/**
 * A small, strict reader of the platform's generated SQL for the tests: which tables a
 * statement names (as `"DB"."SCHEMA"."TABLE"`) and which column names it uses, so a test
 * can check every column exists in infra/snowflake/columns.ts for that table.
 */
const KEYWORDS = new Set(
    (
        "SELECT FROM WHERE AND OR NOT GROUP BY ORDER CASE WHEN THEN ELSE END AS ON LEFT JOIN WITH IS NULL IN " +
        "MIN MAX SUM COUNT AVG COALESCE LEAST GREATEST FLOOR LN CAST FLOAT TO_DATE DATEADD MINUTE DAY " +
        "SYSDATE DATE TIMESTAMP_NTZ CALL SYSTEM CONVERT_TIMEZONE"
    ).split(" "),
);

interface SqlUse {
    /** Fully qualified tables and views named, without quotes (DB.SCHEMA.NAME). */
    tables: string[];
    /** Alias (or the table itself when unaliased) to table. */
    aliases: Record<string, string>;
    /** Unqualified column names used. */
    columns: string[];
    /** `ALIAS.COLUMN` uses. */
    qualified: { alias: string; column: string }[];
    /** Names the statement defines itself (CTEs and output aliases). */
    defined: string[];
}

function sqlUse(sql: string): SqlUse {
    // SNOWFLAKE.ALERT.SCHEDULED_TIME() and friends are functions, not columns.
    let text = sql.replace(/'(?:[^'\\]|\\.)*'/g, " ").replace(/\bSNOWFLAKE\.ALERT\.[A-Z_]+\(\)/g, " ");
    const tables: string[] = [];
    const aliases: Record<string, string> = {};
    text = text.replace(/"([^"]+)"\."([^"]+)"\."([^"]+)"(\s+(?!ON\b|WHERE\b|GROUP\b|LEFT\b|JOIN\b)([A-Z_][A-Z0-9_]*))?/g, (_m, db, schema, name, _a, alias) => {
        const table = `${db}.${schema}.${name}`;
        tables.push(table);
        if (alias) aliases[alias] = table;
        return " ";
    });
    // Names the statement defines itself: CTEs and output aliases.
    const defined = new Set<string>();
    for (const m of text.matchAll(/\b([A-Z_][A-Z0-9_]*)\s+AS\s*\(/g)) defined.add(m[1]);
    for (const m of text.matchAll(/\bAS\s+([A-Z_][A-Z0-9_]*)\b/g)) if (m[1] !== "FLOAT") defined.add(m[1]);
    // CTE references with an alias (`FROM TOTALS T`).
    for (const m of text.matchAll(/\b(?:FROM|JOIN)\s+([A-Z_][A-Z0-9_]*)\s+([A-Z_][A-Z0-9_]*)\b/g)) {
        if (defined.has(m[1]) && !KEYWORDS.has(m[2])) aliases[m[2]] = m[1];
    }
    const qualified: { alias: string; column: string }[] = [];
    text = text.replace(/\b([A-Z_][A-Z0-9_]*)\.([A-Z_][A-Z0-9_]*)\b/g, (_m, alias, column) => {
        qualified.push({ alias, column });
        return " ";
    });
    const columns = new Set<string>();
    for (const m of text.matchAll(/\b[A-Z_][A-Z0-9_]*\b/g)) {
        const word = m[0];
        if (!KEYWORDS.has(word) && !defined.has(word) && !(word in aliases)) columns.add(word);
    }
    return { tables, aliases, columns: [...columns], qualified, defined: [...defined] };
}
