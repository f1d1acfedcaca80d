/**
 * Cost control of one environment: a monthly resource monitor on its warehouse.
 *
 * Snowflake lets only ACCOUNTADMIN create resource monitors and assign them to warehouses,
 * and the program never deploys as ACCOUNTADMIN. So this component is created through the
 * stack's third provider (`accountAdmin` in providers.ts, role = config
 * `resourceMonitorRole`), and it holds nothing else: the monitor, and the attachment as a
 * `snowflake.Execute` (`ALTER WAREHOUSE ... SET RESOURCE_MONITOR`, reverted with `UNSET`).
 *
 * Why not `Warehouse.resourceMonitor`: that would need the warehouse itself on the admin
 * provider, making ACCOUNTADMIN its owner, so every size or auto-suspend change (and the
 * grants on it) would run as ACCOUNTADMIN. The warehouse stays on the deploy role and
 * ignores the attribute instead (`ignoreMonitorAttachment`), so the deploy role never tries
 * to undo the attachment.
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

/** Percentages of the quota at which Snowflake notifies (SPEC §3, issue #5). */
export const NOTIFY_AT_PERCENT = [75, 90];
/** At 100 % the warehouse is suspended outside prd; prd is only notified (a stopped prd pipeline costs more). */
export const LIMIT_PERCENT = 100;

export interface CostControlArgs {
    /** `{ENV}_ML_MONITOR`. */
    monitorName: string;
    /** Monthly credit quota (config `monthlyCreditQuota`). */
    creditQuota: number;
    /** Production is notified at 100 %, never suspended. */
    isProduction: boolean;
    /** The warehouses the monitor caps (the environment's, then the alerts'). */
    warehouseNames: pulumi.Input<string>[];
}

export function monitorTriggers(isProduction: boolean): { notifyTriggers: number[]; suspendTrigger?: number } {
    return isProduction
        ? { notifyTriggers: [...NOTIFY_AT_PERCENT, LIMIT_PERCENT] }
        : { notifyTriggers: [...NOTIFY_AT_PERCENT], suspendTrigger: LIMIT_PERCENT };
}

export function attachMonitorSql(warehouse: string, monitor: string): string {
    return `ALTER WAREHOUSE "${warehouse}" SET RESOURCE_MONITOR = "${monitor}"`;
}

export function detachMonitorSql(warehouse: string): string {
    return `ALTER WAREHOUSE "${warehouse}" UNSET RESOURCE_MONITOR`;
}

export class CostControl extends pulumi.ComponentResource {
    readonly monitor: snowflake.ResourceMonitor;
    readonly attachments: snowflake.Execute[];

    constructor(name: string, args: CostControlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:CostControl", name, {}, opts);
        this.monitor = new snowflake.ResourceMonitor(
            `${name}-monitor`,
            {
                name: args.monitorName,
                creditQuota: args.creditQuota,
                frequency: "MONTHLY",
                // Snowflake requires a start with a frequency; usage then resets each month.
                startTimestamp: "IMMEDIATELY",
                ...monitorTriggers(args.isProduction),
            },
            { parent: this },
        );
        // One attachment per warehouse; the first keeps the name it always had.
        this.attachments = args.warehouseNames.map(
            (warehouseName, i) =>
                new snowflake.Execute(
                    i === 0 ? `${name}-attachment` : `${name}-attachment-${i + 1}`,
                    {
                        execute: pulumi.all([warehouseName, this.monitor.name]).apply(([w, m]) => attachMonitorSql(w, m)),
                        revert: pulumi.output(warehouseName).apply(detachMonitorSql),
                        // Read back on refresh, so drift detection sees a detached monitor.
                        query: pulumi.output(warehouseName).apply((w) => `SHOW WAREHOUSES LIKE '${w}'`),
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ monitor: this.monitor.name });
    }
}

/**
 * Transformation for the warehouse component: the deploy role cannot (and must not) change
 * the monitor that CostControl attached as ACCOUNTADMIN, so the warehouse ignores it.
 */
export const ignoreMonitorAttachment: pulumi.ResourceTransformation = (args) =>
    args.type === "snowflake:index/warehouse:Warehouse"
        ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ["resourceMonitor"] }) }
        : undefined;
