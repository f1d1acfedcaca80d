/**
 * Composes the churn pipeline of one environment: the stored procedures built from ml/,
 * the sample-data loader outside production, and the task graph that runs them.
 */
import { PlatformConfig } from "./config";
import { SnowflakePlatform } from "./snowflakePlatform";
import { environmentNames, SCHEMAS, TABLES } from "../infra/snowflake/names";
import { PIPELINE_PROCEDURES, SAMPLE_LOADER, SAMPLE_SEED, TASKS } from "../infra/snowflake/pipelineSteps";
import { PipelineProcedures } from "../infra/snowflake/pipelineProcedures";
import { SampleData } from "../infra/snowflake/sampleData";
import { callSql, GraphStep, RetrainingGraph } from "../infra/snowflake/retrainingGraph";
import { stackOpts } from "./protection";

export interface Pipeline {
    procedures: PipelineProcedures;
    sampleData?: SampleData;
    graph: RetrainingGraph;
}

export function declarePipeline(cfg: PlatformConfig, platform: SnowflakePlatform): Pipeline {
    const names = environmentNames(cfg.env);
    const ml = names.mlDatabase;
    const customers = `${names.rawDatabase}.${SCHEMAS.rawPublic}.${TABLES.customers}`;
    const pipelineProvider = stackOpts(cfg, { providers: [platform.providers.pipeline] });

    const procedures = new PipelineProcedures(
        "pipeline-procedures",
        { mlDatabase: platform.mlDatabase.database.name, pipelinesSchema: platform.mlDatabase.pipelinesSchema.name },
        // The ML role needs its schema grants before it can create anything there.
        { ...pipelineProvider, dependsOn: platform.mlRole.grants },
    );

    const call = (p: (typeof PIPELINE_PROCEDURES)[keyof typeof PIPELINE_PROCEDURES], args: (string | number)[] = []) => callSql(ml, SCHEMAS.pipelines, p, args);
    const chain: GraphStep[] = [];
    let sampleData: SampleData | undefined;
    if (cfg.data.sampleRows > 0) {
        sampleData = new SampleData(
            "sample-data",
            { rawDatabase: platform.rawData.database.name, rawSchema: platform.rawData.schema.name, mlRoleName: platform.mlRole.roleName, customersTable: customers },
            stackOpts(cfg, { providers: [platform.providers.deploy], dependsOn: [platform.rawData.customersTable] }),
        );
        chain.push({
            task: TASKS.sampleData,
            sql: callSql(names.rawDatabase, SCHEMAS.rawPublic, SAMPLE_LOADER, [cfg.data.sampleRows, SAMPLE_SEED]),
        });
    }
    chain.push(
        { task: TASKS.features, sql: call(PIPELINE_PROCEDURES.features, [customers]) },
        { task: TASKS.training, sql: call(PIPELINE_PROCEDURES.training) },
        { task: TASKS.gate, sql: call(PIPELINE_PROCEDURES.gate, [cfg.pipeline.minRocAuc, cfg.pipeline.maxAucRegression]) },
        { task: TASKS.inference, sql: call(PIPELINE_PROCEDURES.inference, [customers]) },
    );

    const graph = new RetrainingGraph(
        "retraining-graph",
        {
            database: ml,
            schema: SCHEMAS.pipelines,
            warehouse: platform.warehouse.warehouse.name,
            schedule: cfg.pipeline.schedule,
            rootStarted: cfg.pipeline.started,
            root: { task: TASKS.root, sql: call(PIPELINE_PROCEDURES.start) },
            chain,
            finalizer: { task: TASKS.finalize, sql: call(PIPELINE_PROCEDURES.finalize) },
            retryAttempts: cfg.pipeline.retryAttempts,
            suspendAfterFailures: cfg.pipeline.suspendAfterFailures,
            timeoutMinutes: cfg.pipeline.timeoutMinutes,
            queryTag: `mlplatform-${cfg.stack}-pipeline`,
            // The ML role's grants (EXECUTE TASK, warehouse USAGE) come first explicitly, not only
            // through the procedures component: the root is resumed as soon as it is created.
            dependsOn: [...platform.mlRole.grants, procedures, ...(sampleData ? [sampleData] : [])],
        },
        pipelineProvider,
    );
    return { procedures, sampleData, graph };
}

/** Where to look for the graph after `pulumi up` (SHOW TASKS IN SCHEMA ...). */
export function pipelineOutputs(pipeline: Pipeline) {
    return {
        rootTask: pipeline.graph.root.fullyQualifiedName,
        tasks: [pipeline.graph.root, ...pipeline.graph.chain, pipeline.graph.finalizer].map((t) => t.name),
        procedures: Object.values(pipeline.procedures.procedures).map((p) => p.name),
        sampleDataLoader: pipeline.sampleData?.loader.fullyQualifiedName,
    };
}
