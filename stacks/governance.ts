/**
 * Guardrails of one environment on top of its Snowflake platform (issue #5): the check of
 * the resource monitor (which the bootstrap creates and attaches), the governance tags, and
 * the monitoring views, notification integration and alerts.
 */
import { PlatformConfig } from "./config";
import { SnowflakeAccess, SnowflakePlatform } from "./snowflakePlatform";
import { environmentNames } from "../infra/snowflake/names";
import { checkResourceMonitor } from "../infra/snowflake/costControl";
import { GovernanceTags } from "../infra/snowflake/tags";
import { Observability } from "../infra/snowflake/observability";

export interface Governance {
    /** The environment's resource monitor, checked (checkCostControl) before anything was declared. */
    resourceMonitor: string;
    tags: GovernanceTags;
    observability: Observability;
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
            warehouseName: cfg.warehouse.name,
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
    const tags = new GovernanceTags(
        "governance-tags",
        {
            database: mlDatabase.database.name,
            schema: mlDatabase.pipelinesSchema.name,
            values: { environment: cfg.env, costCenter: cfg.tags.costCenter, owner: cfg.tags.ownerTeam },
            objects: {
                DATABASE: [rawData.database.fullyQualifiedName, mlDatabase.database.fullyQualifiedName],
                SCHEMA: [rawData.schema, mlDatabase.pipelinesSchema, mlDatabase.featuresSchema, mlDatabase.outputSchema].map((s) => s.fullyQualifiedName),
                WAREHOUSE: [platform.warehouse.warehouse.fullyQualifiedName],
            },
        },
        { providers: [deploy] },
    );

    const observability = new Observability(
        "observability",
        {
            env: cfg.env,
            mlDatabase: names.mlDatabase,
            outputSchema: mlDatabase.outputSchema.name,
            pipelinesSchema: mlDatabase.pipelinesSchema.name,
            sourceTables: [...mlDatabase.bookkeepingTables, platform.predictionOutput.predictionsTable],
            warehouseName: platform.warehouse.warehouse.name,
            integrationName: names.integration,
            recipients: cfg.alerts.emails,
            driftPsiThreshold: cfg.alerts.driftPsiThreshold,
            alertOwnerRole: platform.mlRole.roleName,
            alertOwnerGrants: platform.mlRole.grants,
            alertProvider: platform.providers.pipeline,
            alertsEnabled: cfg.pipeline.started,
        },
        { providers: [deploy] },
    );
    return { resourceMonitor, tags, observability };
}

/** Stack outputs of the guardrails. */
export function governanceOutputs(governance: Governance) {
    return {
        resourceMonitor: governance.resourceMonitor,
        alertIntegration: governance.observability.integration.name,
    };
}
