/**
 * Composes one environment's Snowflake platform from the components in infra/snowflake.
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { PlatformConfig } from "./config";
import { chooseIdentity, SnowflakeIdentity } from "./identity";
import { environmentNames, SCHEMAS } from "../infra/snowflake/names";
import { PREVIEW_FEATURES, snowflakeProvider, SnowflakeConnection } from "../infra/snowflake/providers";
import { ComputeWarehouse } from "../infra/snowflake/warehouse";
import { RawData } from "../infra/snowflake/rawData";
import { MlDatabase } from "../infra/snowflake/mlDatabase";
import { PredictionOutput } from "../infra/snowflake/predictionOutput";
import { MlRole, RAW_SCHEMA_KEY } from "../infra/snowflake/mlRole";
import { PreviewAccess } from "../infra/snowflake/previewAccess";
import { ignoreMonitorAttachment } from "../infra/snowflake/costControl";
import { stackOpts } from "./protection";

/** Who the stack logs in as, and its providers: all from the bootstrap, declared first. */
export interface SnowflakeAccess {
    /** Who the providers log in as (SNOWFLAKE_MLOPS_IDENTITY). */
    identity: SnowflakeIdentity;
    /** How every provider of the stack connects (they differ only by role). */
    connection: SnowflakeConnection;
    providers: { deploy: snowflake.Provider; pipeline: snowflake.Provider };
}

export interface SnowflakePlatform extends SnowflakeAccess {
    warehouse: ComputeWarehouse;
    rawData: RawData;
    mlDatabase: MlDatabase;
    predictionOutput: PredictionOutput;
    mlRole: MlRole;
    /** What the read-only preview role may see, so that the drift check can read it back. */
    previewAccess: PreviewAccess;
    /** Every FUTURE grant per schema (ML role and preview role): the schema's objects wait for all of them. */
    objectFutureGrants: Record<string, snowflake.GrantPrivilegesToAccountRole[]>;
}

/** The job's environment: SNOWFLAKE_MLOPS_IDENTITY and the credential variables (identity.ts). */
export type JobEnvironment = Record<string, string | undefined>;

export function declareSnowflakeAccess(cfg: PlatformConfig, environment: JobEnvironment): SnowflakeAccess {
    const identity = chooseIdentity(cfg, environment, pulumi.runtime.isDryRun());
    const connection: SnowflakeConnection = {
        organizationName: cfg.snowflake.organizationName,
        accountName: cfg.snowflake.accountName,
        user: identity.user,
        // The bootstrap's warehouse: it exists before the first preview (providers.ts says why it is needed).
        warehouse: cfg.snowflake.connectionWarehouse,
        queryTag: `mlplatform-${cfg.stack}`,
    };
    // The deploy role creates a Python procedure only where it loads sample data (not in prd);
    // the list must name exactly the preview resources the provider manages.
    const deployFeatures = PREVIEW_FEATURES.deploy.filter((f) => cfg.data.sampleRows > 0 || f !== "snowflake_procedure_python_resource");
    const deploy = snowflakeProvider("snowflake-deploy", identity.deployProviderRole, deployFeatures, connection, stackOpts(cfg, {}));
    // Acts as ML_{ENV}_ROLE (from the bootstrap, granted to the deploy role there) so that the
    // objects it creates are owned by the role that runs them.
    const pipeline = snowflakeProvider("snowflake-pipeline", identity.pipelineProviderRole, PREVIEW_FEATURES.pipeline, connection, stackOpts(cfg, {}));
    return { identity, connection, providers: { deploy, pipeline } };
}

export function declareSnowflakePlatform(cfg: PlatformConfig, access: SnowflakeAccess): SnowflakePlatform {
    const names = environmentNames(cfg.env);
    const { deploy } = access.providers;
    const protect = cfg.data.protectStatefulResources;

    const warehouse = new ComputeWarehouse(
        "compute",
        {
            name: cfg.warehouse.name,
            size: cfg.warehouse.size,
            autoSuspendSeconds: cfg.warehouse.autoSuspendSeconds,
            statementTimeoutSeconds: cfg.warehouse.statementTimeoutSeconds,
            env: cfg.env,
        },
        // The resource monitor is attached by an administrator (bootstrap/<stack>/05_resource_monitor.sql).
        stackOpts(cfg, { providers: [deploy], transformations: [ignoreMonitorAttachment] }),
    );
    // Grant race (issue 9): tables and stages wait for their schema's FUTURE grants, which name
    // the schemas and so are declared after them, below. `dependsOn` takes a promise
    // (Input<Resource[]>, @pulumi/pulumi resource.ts), resolved as soon as the role exists.
    let resolveFutureGrants!: (grants: Record<string, snowflake.GrantPrivilegesToAccountRole[]>) => void;
    const futureGrants = new Promise<Record<string, snowflake.GrantPrivilegesToAccountRole[]>>((resolve) => (resolveFutureGrants = resolve));
    const futureGrantsOf = (schemaKey: string) => futureGrants.then((g) => g[schemaKey] ?? []);

    const rawData = new RawData("raw-data", { databaseName: names.rawDatabase, env: cfg.env, protect, objectsDependOn: futureGrantsOf(RAW_SCHEMA_KEY) }, stackOpts(cfg, { providers: [deploy] }));
    const mlDatabase = new MlDatabase(
        "ml-database",
        { databaseName: names.mlDatabase, env: cfg.env, protect, pipelinesObjectsDependOn: futureGrantsOf(SCHEMAS.pipelines) },
        stackOpts(cfg, { providers: [deploy] }),
    );
    const mlRole = new MlRole(
        "ml-role",
        {
            roleName: names.mlRole,
            isProduction: cfg.isProduction,
            warehouseName: warehouse.warehouse.name,
            rawDatabaseName: rawData.database.name,
            rawSchemaFqn: rawData.schema.fullyQualifiedName,
            mlDatabaseName: mlDatabase.database.name,
            mlSchemaFqns: {
                [SCHEMAS.pipelines]: mlDatabase.pipelinesSchema.fullyQualifiedName,
                [SCHEMAS.features]: mlDatabase.featuresSchema.fullyQualifiedName,
                [SCHEMAS.output]: mlDatabase.outputSchema.fullyQualifiedName,
            },
        },
        stackOpts(cfg, { providers: [deploy] }),
    );
    const previewAccess = new PreviewAccess(
        "preview-access",
        {
            roleName: cfg.snowflake.previewRole,
            databaseNames: [rawData.database.name, mlDatabase.database.name],
            schemaFqns: {
                [RAW_SCHEMA_KEY]: rawData.schema.fullyQualifiedName,
                [SCHEMAS.pipelines]: mlDatabase.pipelinesSchema.fullyQualifiedName,
                [SCHEMAS.features]: mlDatabase.featuresSchema.fullyQualifiedName,
                [SCHEMAS.output]: mlDatabase.outputSchema.fullyQualifiedName,
            },
            warehouseNames: [warehouse.warehouse.name],
        },
        stackOpts(cfg, { providers: [deploy] }),
    );
    const objectFutureGrants: Record<string, snowflake.GrantPrivilegesToAccountRole[]> = {};
    for (const source of [mlRole.futureGrants, previewAccess.futureGrants]) {
        for (const [key, grants] of Object.entries(source)) (objectFutureGrants[key] ??= []).push(...grants);
    }
    resolveFutureGrants(objectFutureGrants);
    const predictionOutput = new PredictionOutput(
        "prediction-output",
        {
            mlDatabase: names.mlDatabase,
            outputSchema: mlDatabase.outputSchema.name,
            retentionDays: cfg.data.predictionRetentionDays,
            recentDays: cfg.data.recentPredictionsDays,
            protect,
            objectsDependOn: objectFutureGrants[SCHEMAS.output] ?? [],
        },
        stackOpts(cfg, { providers: [deploy] }),
    );
    return { ...access, warehouse, rawData, mlDatabase, predictionOutput, mlRole, previewAccess, objectFutureGrants };
}

/** Stack outputs a user looks for after `pulumi up`. */
export function snowflakeOutputs(platform: SnowflakePlatform) {
    return {
        warehouse: platform.warehouse.warehouse.name,
        rawDatabase: platform.rawData.database.name,
        mlDatabase: platform.mlDatabase.database.name,
        mlRole: platform.mlRole.roleName,
        predictionsTable: platform.predictionOutput.predictionsTable.fullyQualifiedName,
    };
}
