import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

export interface ComputeWarehouseArgs {
    /** Warehouse name, `{ENV}_WH_{size}` (e.g. DEV_WH_XS). */
    name: string;
    /** WAREHOUSE_SIZE (XSMALL ... X6LARGE). */
    size: string;
    /** Seconds idle before suspending; keeps an idle environment from burning credits. */
    autoSuspendSeconds: number;
    /** Statements running longer than this are cancelled. */
    statementTimeoutSeconds: number;
    /** Environment code, for the comment. */
    env: string;
    /** What the warehouse is for, in its comment; default: the pipeline and analysts. */
    purpose?: string;
    /** Name of the resource monitor that caps the warehouse's credits, if any. */
    resourceMonitor?: pulumi.Input<string>;
}

/** The environment's one warehouse: starts suspended, resumes on demand, suspends when idle. */
export class ComputeWarehouse extends pulumi.ComponentResource {
    readonly warehouse: snowflake.Warehouse;

    constructor(name: string, args: ComputeWarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:ComputeWarehouse", name, {}, opts);
        this.warehouse = new snowflake.Warehouse(
            `${name}-warehouse`,
            {
                name: args.name,
                warehouseSize: args.size,
                autoSuspend: args.autoSuspendSeconds,
                // The provider takes this parameter as the string "true"/"false".
                autoResume: "true",
                initiallySuspended: true,
                statementTimeoutInSeconds: args.statementTimeoutSeconds,
                resourceMonitor: args.resourceMonitor,
                comment: `${args.env} ML platform warehouse (${args.purpose ?? "churn pipeline and analysts"}). Managed by Pulumi.`,
            },
            { parent: this },
        );
        this.registerOutputs({ warehouse: this.warehouse.name });
    }
}
