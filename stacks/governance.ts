/**
 * Guardrails of one environment on top of its Snowflake platform (issue #5): the resource
 * monitor (through the account-admin provider), the governance tags, and the monitoring
 * views, notification integration and alerts.
 */
import * as snowflake from "@pulumi/snowflake";
import { PlatformConfig } from "./config";
import { SnowflakePlatform } from "./snowflakePlatform";
import { environmentNames, SCHEMAS } from "../infra/snowflake/names";
import { PREVIEW_FEATURES, snowflakeProvider } from "../infra/snowflake/providers";
import { CostControl } from "../infra/snowflake/costControl";
import { GovernanceTags } from "../infra/snowflake/tags";
import { Observability } from "../infra/snowflake/observability";
import { stackOpts } from "./protection";
import { ENVIRONMENTS } from "./configSchema";

export interface Governance {
    /** Acts as config `resourceMonitorRole` (ACCOUNTADMIN); used only by costControl. */
    accountAdminProvider: snowflake.Provider;
    costControl: CostControl;
    /** Absent when `governanceTags` is false (Standard Edition has no object tagging). */
    tags?: GovernanceTags;
    observability: Observability;
}

export function declareGovernance(cfg: PlatformConfig, platform: SnowflakePlatform): Governance {
    const names = environmentNames(cfg.env);
    const deploy = platform.providers.deploy;

    const { rawData, mlDatabase } = platform;
    const observability = new Observability(
        "observability",
        {
            env: cfg.env,
            mlDatabase: names.mlDatabase,
            outputSchema: mlDatabase.outputSchema.name,
            pipelinesSchema: mlDatabase.pipelinesSchema.name,
            sourceTables: [...mlDatabase.bookkeepingTables, platform.predictionOutput.predictionsTable],
            outputFutureGrants: platform.mlRole.futureGrants[SCHEMAS.output] ?? [],
            alertWarehouseName: names.alertWarehouse,
            integrationName: names.integration,
            recipients: cfg.alerts.emails,
            driftPsiThreshold: cfg.alerts.driftPsiThreshold,
            alertOwnerRole: platform.mlRole.role.name,
            alertOwnerGrants: platform.mlRole.grants,
            alertProvider: platform.providers.pipeline,
            alertsEnabled: cfg.pipeline.started,
        },
        stackOpts(cfg, { providers: [deploy] }),
    );
    const warehouses = [platform.warehouse.warehouse, observability.alertWarehouse.warehouse];

    const accountAdminProvider = snowflakeProvider("snowflake-account-admin", cfg.snowflake.resourceMonitorRole, PREVIEW_FEATURES.accountAdmin, platform.connection, stackOpts(cfg, {}));
    const costControl = new CostControl(
        "cost-control",
        { monitorName: names.monitor, creditQuota: cfg.cost.monthlyCreditQuota, isProduction: cfg.isProduction, warehouseNames: warehouses.map((w) => w.name) },
        stackOpts(cfg, { providers: [accountAdminProvider] }),
    );
    // Object tagging needs Enterprise Edition; config rejects tags on STANDARD (stacks/config.ts).
    const tags = cfg.tags.enabled
        ? new GovernanceTags(
              "governance-tags",
              {
                  database: mlDatabase.database.name,
                  schema: mlDatabase.pipelinesSchema.name,
                  environments: ENVIRONMENTS,
                  values: { environment: cfg.env, costCenter: cfg.tags.costCenter, owner: cfg.tags.ownerTeam },
                  objects: {
                      DATABASE: [rawData.database.fullyQualifiedName, mlDatabase.database.fullyQualifiedName],
                      SCHEMA: [rawData.schema, mlDatabase.pipelinesSchema, mlDatabase.featuresSchema, mlDatabase.outputSchema].map((s) => s.fullyQualifiedName),
                      WAREHOUSE: warehouses.map((w) => w.fullyQualifiedName),
                  },
              },
              stackOpts(cfg, { providers: [deploy] }),
          )
        : undefined;

    return { accountAdminProvider, costControl, tags, observability };
}

/** Stack outputs of the guardrails. */
export function governanceOutputs(governance: Governance) {
    return {
        resourceMonitor: governance.costControl.monitor.name,
        alertIntegration: governance.observability.integration.name,
    };
}
