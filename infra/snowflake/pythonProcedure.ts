import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { modulesReachableFrom, packagesFor, procedureDefinition } from "./mlCodeBundle";
import { PipelineProcedure } from "./pipelineSteps";

/** Module of ml/ whose functions are the procedures' entry points. */
export const PROCEDURES_MODULE = "churn_ml.procedures";

export interface PythonProcedureArgs {
    database: pulumi.Input<string>;
    schema: pulumi.Input<string>;
    procedure: PipelineProcedure;
    /**
     * OWNER runs with the owner's rights (used where a narrow capability is lent to
     * another role); CALLER runs with the caller's (the task owner's) rights.
     */
    executeAs: "OWNER" | "CALLER";
    /** Keyword arguments of the Python function fixed in the procedure's code; callers cannot set them. */
    boundArguments?: Record<string, string>;
}

/** Lower-case handler name of a procedure: `run_<python function>`. */
export const handlerName = (p: PipelineProcedure) => `run_${p.pythonFunction}`;

/**
 * A Python stored procedure whose code is the ml/ package, inlined (see mlCodeBundle.ts),
 * on runtime 3.11 with the packages the code imports, pinned.
 */
export function pythonProcedure(resourceName: string, args: PythonProcedureArgs, opts: pulumi.CustomResourceOptions): snowflake.ProcedurePython {
    const modules = modulesReachableFrom(PROCEDURES_MODULE);
    const { snowparkVersion, packages } = packagesFor(modules);
    const p = args.procedure;
    return new snowflake.ProcedurePython(
        resourceName,
        {
            database: args.database,
            schema: args.schema,
            name: p.name,
            arguments: p.arguments.map((a) => ({ argName: a.name, argDataType: a.type })),
            returnType: "VARCHAR",
            runtimeVersion: "3.11",
            snowparkPackage: snowparkVersion,
            packages,
            handler: handlerName(p),
            procedureDefinition: procedureDefinition(modules, PROCEDURES_MODULE, p.pythonFunction, handlerName(p), p.arguments.map((a) => a.name.toLowerCase()), args.boundArguments),
            executeAs: args.executeAs,
            comment: p.comment,
        },
        // procedure_definition and packages force a replacement (provider v1.2.1
        // procedure_commons.go ForceNew), and Create issues CREATE PROCEDURE without OR REPLACE:
        // the new procedure, with the same name and signature, can only be created once the old
        // one is gone. The bridge already infers this for an explicit name (pulumi-terraform-bridge
        // v3.106.0 nameRequiresDeleteBeforeReplace); stated here so it does not hang on that.
        // Tasks only dependOn procedures (no input taken from them), so none is replaced along.
        { ...opts, deleteBeforeReplace: true },
    );
}
