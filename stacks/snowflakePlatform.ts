/**
 * Composes one environment's Snowflake platform from the components in infra/snowflake.
 */
import * as snowflake from "@pulumi/snowflake";
import { PlatformConfig } from "./config";
import { environmentNames, SCHEMAS } from "../infra/snowflake/names";
import { PREVIEW_FEATURES, snowflakeProvider, SnowflakeConnection } from "../infra/snowflake/providers";
import { ComputeWarehouse } from "../infra/snowflake/warehouse";
import { RawData } from "../infra/snowflake/rawData";
import { MlDatabase } from "../infra/snowflake/mlDatabase";
import { PredictionOutput } from "../infra/snowflake/predictionOutput";
import { MlRole, RAW_SCHEMA_KEY } from "../infra/snowflake/mlRole";
import { ignoreMonitorAttachment } from "../infra/snowflake/costControl";
import { stackOpts } from "./protection";

export interface SnowflakePlatform {
    /** How every provider of the stack connects (they differ only by role). */
    connection: SnowflakeConnection;
    providers: { deploy: snowflake.Provider; pipeline: snowflake.Provider };
    warehouse: ComputeWarehouse;
    rawData: RawData;
    mlDatabase: MlDatabase;
    predictionOutput: PredictionOutput;
    mlRole: MlRole;
}

export function declareSnowflakePlatform(cfg: PlatformConfig): SnowflakePlatform {
    const names = environmentNames(cfg.env);
    const connection: SnowflakeConnection = {
        organizationName: cfg.snowflake.organizationName,
        accountName: cfg.snowflake.accountName,
        user: cfg.snowflake.user,
        privateKey: cfg.snowflake.privateKey,
        queryTag: `mlplatform-${cfg.stack}`,
    };
    // The deploy role creates a Python procedure only where it loads sample data (not in prd);
    // the list must name exactly the preview resources the provider manages.
    const deployFeatures = PREVIEW_FEATURES.deploy.filter((f) => cfg.data.sampleRows > 0 || f !== "snowflake_procedure_python_resource");
    const deploy = snowflakeProvider("snowflake-deploy", cfg.snowflake.deployRole, deployFeatures, connection, stackOpts(cfg, {}));
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
        // The resource monitor is attached by ACCOUNTADMIN in stacks/governance.ts.
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
            env: cfg.env,
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
            deployRole: cfg.snowflake.deployRole,
            deployUser: cfg.snowflake.user,
        },
        stackOpts(cfg, { providers: [deploy] }),
    );
    resolveFutureGrants(mlRole.futureGrants);
    const predictionOutput = new PredictionOutput(
        "prediction-output",
        {
            mlDatabase: names.mlDatabase,
            outputSchema: mlDatabase.outputSchema.name,
            retentionDays: cfg.data.predictionRetentionDays,
            recentDays: cfg.data.recentPredictionsDays,
            protect,
            objectsDependOn: mlRole.futureGrants[SCHEMAS.output] ?? [],
        },
        stackOpts(cfg, { providers: [deploy] }),
    );

    // Acts as ML_{ENV}_ROLE so that the objects it creates are owned by the role that runs them.
    const pipeline = snowflakeProvider(
        "snowflake-pipeline",
        names.mlRole,
        PREVIEW_FEATURES.pipeline,
        { ...connection, warehouse: cfg.warehouse.name },
        stackOpts(cfg, { dependsOn: mlRole.deployerGrants }),
    );
    return { connection, providers: { deploy, pipeline }, warehouse, rawData, mlDatabase, predictionOutput, mlRole };
}

/** Stack outputs a user looks for after `pulumi up`. */
export function snowflakeOutputs(platform: SnowflakePlatform) {
    return {
        warehouse: platform.warehouse.warehouse.name,
        rawDatabase: platform.rawData.database.name,
        mlDatabase: platform.mlDatabase.database.name,
        mlRole: platform.mlRole.role.name,
        predictionsTable: platform.predictionOutput.predictionsTable.fullyQualifiedName,
    };
}
