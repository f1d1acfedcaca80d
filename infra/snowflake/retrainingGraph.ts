import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { fqn } from "./names";
import { PipelineProcedure, TASKS } from "./pipelineSteps";

/** A literal argument of a CALL. */
export type CallArgument = string | number;

/** `CALL "DB"."SCHEMA"."PROC"(args)`; strings become single-quoted literals. */
export function callSql(database: string, schema: string, procedure: PipelineProcedure, args: CallArgument[]): string {
    if (args.length !== procedure.arguments.length) {
        throw new Error(`${procedure.name} takes ${procedure.arguments.length} arguments, ${args.length} given`);
    }
    const literal = (a: CallArgument) => (typeof a === "number" ? String(a) : `'${a.replace(/'/g, "''")}'`);
    return `CALL ${fqn(database, schema, procedure.name)}(${args.map(literal).join(", ")})`;
}

export interface GraphStep {
    /** Task name. */
    task: string;
    /** The SQL the task runs (a CALL of one procedure). */
    sql: string;
}

export interface RetrainingGraphArgs {
    /** `{ENV}_ML_DB`; every task of a graph lives in one schema, with one owner. */
    database: string;
    /** PIPELINES. */
    schema: string;
    /** Warehouse the tasks run on. */
    warehouse: pulumi.Input<string>;
    /** Cron with time zone of the root, e.g. "0 2 * * * UTC". */
    schedule: string;
    /**
     * Whether the ROOT runs on its schedule (true only in prd). Children and the finalizer
     * are always started: `EXECUTE TASK` on a suspended root runs only the resumed tasks.
     */
    rootStarted: boolean;
    /** The root task's statement. */
    root: GraphStep;
    /** Tasks that run one after the other after the root. */
    chain: GraphStep[];
    /** Finalizer: runs after the graph, whatever happened before. */
    finalizer: GraphStep;
    /** Automatic retries of a failed graph run (TASK_AUTO_RETRY_ATTEMPTS, set on the root). */
    retryAttempts: number;
    /** Consecutive failed runs after which Snowflake suspends the graph. */
    suspendAfterFailures: number;
    /** Longest a task may run. */
    timeoutMinutes: number;
    /** QUERY_TAG of the tasks' sessions, to find the pipeline's queries and cost. */
    queryTag: string;
    /** Resources the tasks must wait for (procedures, grants). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * ML_RETRAINING_PIPELINE and its child tasks. Create with the pipeline provider so the
 * owner is ML_{ENV}_ROLE, which holds EXECUTE TASK. Each task waits for the previous one
 * (`afters` takes its name), and the finalizer waits for the last: the provider suspends the
 * root while it changes a graph, and parallel changes to sibling tasks race (NOTES).
 *
 * Only the root follows `rootStarted`; every child and the finalizer is `started: true` in
 * every stack. Snowflake runs only the resumed tasks of a graph, so with suspended children
 * `EXECUTE TASK` on the root (the documented dev/sit/uat test) would run the root alone.
 * Provider v1.2.1 (pkg/resources/task.go, CreateTask/UpdateTask; pkg/sdk/tasks_impl_gen.go,
 * SuspendRootTasks) suspends a started root before it creates or alters a child or the
 * finalizer, resumes that child when `started` is true, and resumes the root afterwards
 * only if it was started before: a child's `started: true` never starts a suspended root.
 */
export class RetrainingGraph extends pulumi.ComponentResource {
    readonly root: snowflake.Task;
    readonly chain: snowflake.Task[] = [];
    readonly finalizer: snowflake.Task;

    constructor(name: string, args: RetrainingGraphArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:RetrainingGraph", name, {}, opts);
        const common = {
            database: args.database,
            schema: args.schema,
            warehouse: args.warehouse,
            started: true,
            userTaskTimeoutMs: args.timeoutMinutes * 60_000,
            queryTag: args.queryTag,
        };
        this.root = new snowflake.Task(
            `${name}-root`,
            {
                ...common,
                name: TASKS.root,
                started: args.rootStarted,
                sqlStatement: args.root.sql,
                schedule: { usingCron: args.schedule },
                allowOverlappingExecution: "false",
                taskAutoRetryAttempts: args.retryAttempts,
                suspendTaskAfterNumFailures: args.suspendAfterFailures,
                comment: "Root of the churn retraining graph; its schedule and state drive the whole graph.",
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        let previous: snowflake.Task = this.root;
        for (const step of args.chain) {
            const task = new snowflake.Task(
                `${name}-${step.task.toLowerCase().replace(/_task$/, "").replace(/_/g, "-")}`,
                // `afters` takes the predecessor's output, so each task also waits for it.
                { ...common, name: step.task, sqlStatement: step.sql, afters: [previous.fullyQualifiedName] },
                { parent: this },
            );
            this.chain.push(task);
            previous = task;
        }
        this.finalizer = new snowflake.Task(
            `${name}-finalizer`,
            { ...common, name: args.finalizer.task, sqlStatement: args.finalizer.sql, finalize: this.root.fullyQualifiedName },
            { parent: this, dependsOn: [previous] },
        );
        this.registerOutputs({ root: this.root.fullyQualifiedName });
    }
}
