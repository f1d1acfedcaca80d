/**
 * Guardrails of one environment on top of its Snowflake platform (issue #5): the check of
 * the resource monitor (which the bootstrap creates and attaches), the governance tags, and
 * the monitoring views, notification integration and alerts (on their own small warehouse).
 */
import { PlatformConfig } from "./config";
import { SnowflakeAccess, SnowflakePlatform } from "./snowflakePlatform";
import { environmentNames, SCHEMAS } from "../infra/snowflake/names";
import { checkResourceMonitor, ignoreMonitorAttachment } from "../infra/snowflake/costControl";
import { GovernanceTags } from "../infra/snowflake/tags";
import { Observability } from "../infra/snowflake/observability";
import { previewWarehouseMonitor } from "../infra/snowflake/previewAccess";
import { stackOpts } from "./protection";
import { ENVIRONMENTS } from "./configSchema";

export interface Governance {
    /** The environment's resource monitor, checked (checkCostControl) before anything was declared. */
    resourceMonitor: string;
    /** Absent when `governanceTags` is false (Standard Edition has no object tagging). */
    tags?: GovernanceTags;
    observability: Observability;
}

/** The warehouses the stack creates, all capped by the environment's monitor. */
export function stackWarehouseNames(cfg: PlatformConfig): string[] {
    return [cfg.warehouse.name, environmentNames(cfg.env).alertWarehouse];
}

/**
 * The bootstrap creates and attaches the environment's resource monitor (only ACCOUNTADMIN
 * can); this checks, through the stack's own provider, that it is there as configured. The
 * program awaits it before it declares any other resource.
 */
export function checkCostControl(cfg: PlatformConfig, access: SnowflakeAccess): Promise<string> {
    const names = environmentNames(cfg.env);
    return checkResourceMonitor(
        {
            monitorName: names.monitor,
            creditQuota: cfg.cost.monthlyCreditQuota,
            isProduction: cfg.isProduction,
            warehouseNames: stackWarehouseNames(cfg),
            connectionWarehouse: cfg.snowflake.connectionWarehouse,
            role: access.identity.deployProviderRole,
            bootstrapFile: `bootstrap/${cfg.stack}/05_resource_monitor.sql`,
            stackFile: cfg.stackFile,
        },
        access.providers.deploy,
    );
}

export function declareGovernance(cfg: PlatformConfig, platform: SnowflakePlatform, resourceMonitor: string): Governance {
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
            outputFutureGrants: platform.objectFutureGrants[SCHEMAS.output] ?? [],
            alertWarehouseName: names.alertWarehouse,
            integrationName: names.integration,
            recipients: cfg.alerts.emails,
            driftPsiThreshold: cfg.alerts.driftPsiThreshold,
            alertOwnerRole: platform.mlRole.roleName,
            alertOwnerGrants: platform.mlRole.grants,
            alertProvider: platform.providers.pipeline,
            alertsEnabled: cfg.pipeline.started,
        },
        // The alert warehouse's monitor is attached by an administrator (bootstrap/<stack>/05_resource_monitor.sql).
        stackOpts(cfg, { providers: [deploy], transformations: [ignoreMonitorAttachment] }),
    );
    const warehouses = [platform.warehouse.warehouse, observability.alertWarehouse.warehouse];
    // The drift check reads every warehouse back as the preview role (infra/snowflake/previewAccess.ts).
    previewWarehouseMonitor("preview-access-alert-warehouse", cfg.snowflake.previewRole, observability.alertWarehouse.warehouse.name, stackOpts(cfg, { provider: deploy }));

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

    return { resourceMonitor, tags, observability };
}

/** Stack outputs of the guardrails. */
export function governanceOutputs(governance: Governance) {
    return {
        resourceMonitor: governance.resourceMonitor,
        alertIntegration: governance.observability.integration.name,
    };
}
