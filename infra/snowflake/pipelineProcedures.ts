import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { PIPELINE_PROCEDURES } from "./pipelineSteps";
import { pythonProcedure } from "./pythonProcedure";

export interface PipelineProceduresArgs {
    /** `{ENV}_ML_DB`. */
    mlDatabase: pulumi.Input<string>;
    /** PIPELINES schema name. */
    pipelinesSchema: pulumi.Input<string>;
}

type ProcedureKey = keyof typeof PIPELINE_PROCEDURES;

/**
 * The pipeline's stored procedures in {ENV}_ML_DB.PIPELINES, one per step. Create this
 * component with the pipeline provider (role ML_{ENV}_ROLE) so the role that runs the
 * graph owns them; they run with the caller's rights, i.e. the task owner's.
 */
export class PipelineProcedures extends pulumi.ComponentResource {
    readonly procedures: Record<ProcedureKey, snowflake.ProcedurePython>;

    constructor(name: string, args: PipelineProceduresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:PipelineProcedures", name, {}, opts);
        const entries = Object.entries(PIPELINE_PROCEDURES).map(([key, procedure]) => [
            key,
            pythonProcedure(
                `${name}-${key}`,
                { database: args.mlDatabase, schema: args.pipelinesSchema, procedure, executeAs: "CALLER" },
                { parent: this },
            ),
        ]);
        this.procedures = Object.fromEntries(entries) as Record<ProcedureKey, snowflake.ProcedurePython>;
        this.registerOutputs({});
    }
}
