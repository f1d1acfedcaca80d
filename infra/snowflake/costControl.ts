/**
 * Cost control of one environment: a monthly resource monitor on its warehouses.
 *
 * Snowflake lets only ACCOUNTADMIN create resource monitors and assign them to warehouses
 * (docs.snowflake.com/en/user-guide/resource-monitors; terraform-provider-snowflake#3019),
 * and no CI identity holds ACCOUNTADMIN. So the monitor, its quota, triggers and recipients,
 * and its assignment live in the bootstrap (bootstrap/<stack>/05_resource_monitor.sql,
 * rendered from the stack's `monthlyCreditQuota` and `monitorNotifyUsers`), and the program
 * only checks it.
 *
 * What the program can check without ACCOUNTADMIN: the bootstrap grants MONITOR on the
 * monitor to the deploy and preview roles, so SHOW RESOURCE MONITORS shows it to them (SHOW
 * lists only objects the role has a privilege on), with its quota, frequency, suspend
 * trigger and level; SHOW WAREHOUSES shows a warehouse's `resource_monitor` to roles with a
 * privilege on the warehouse (the deploy role owns the stack's warehouse; every role uses the
 * connection warehouse). The notify triggers and NOTIFY_USERS are not in the SHOW output the
 * provider returns, so they are checked in the rendered bootstrap only.
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

/** Percentages of the quota at which Snowflake notifies (SPEC §3, issue #5). */
export const NOTIFY_AT_PERCENT = [75, 90];
/** At 100 % the warehouse is suspended outside prd; prd is only notified (a stopped prd pipeline costs more). */
export const LIMIT_PERCENT = 100;

export function monitorTriggers(isProduction: boolean): { notifyTriggers: number[]; suspendTrigger?: number } {
    return isProduction
        ? { notifyTriggers: [...NOTIFY_AT_PERCENT, LIMIT_PERCENT] }
        : { notifyTriggers: [...NOTIFY_AT_PERCENT], suspendTrigger: LIMIT_PERCENT };
}

export interface MonitorExpectation {
    /** `{ENV}_ML_MONITOR`. */
    monitorName: string;
    /** Config `monthlyCreditQuota`. */
    creditQuota: number;
    isProduction: boolean;
    /** The stack's warehouses (created by the stack: the environment's, then the alerts'). */
    warehouseNames: string[];
    /** The bootstrap's connection warehouse. */
    connectionWarehouse: string;
    /** Role the check runs as, for messages. */
    role: string;
    /** The file an administrator runs to fix what is wrong. */
    bootstrapFile: string;
    /** Stack file holding the quota, for messages. */
    stackFile: string;
}

/** What SHOW RESOURCE MONITORS / SHOW WAREHOUSES return that the check reads. */
export interface MonitorShow {
    name: string;
    creditQuota: number;
    frequency: string;
    suspendAt: number;
}
export interface WarehouseShow {
    name: string;
    resourceMonitor: string;
}

/** Errors (the deployment must not go on) and warnings (an administrator has a step left). */
export function monitorProblems(monitors: MonitorShow[], warehouses: WarehouseShow[], e: MonitorExpectation): { errors: string[]; warnings: string[] } {
    const errors: string[] = [];
    const warnings: string[] = [];
    const fix = `an administrator runs ${e.bootstrapFile} (as ACCOUNTADMIN)`;
    const monitor = monitors.find((m) => m.name === e.monitorName);
    if (!monitor) {
        errors.push(`Resource monitor ${e.monitorName} does not exist or is not visible to role ${e.role}: ${fix}.`);
    } else {
        if (Number(monitor.creditQuota) !== e.creditQuota) {
            errors.push(`Resource monitor ${e.monitorName} has a quota of ${monitor.creditQuota} credits; ${e.stackFile} says monthlyCreditQuota: ${e.creditQuota}: ${fix} after \`npm run bootstrap:sql\`.`);
        }
        if (String(monitor.frequency).toUpperCase() !== "MONTHLY") errors.push(`Resource monitor ${e.monitorName} resets ${monitor.frequency}; allowed: MONTHLY: ${fix}.`);
        const suspendAt = monitorTriggers(e.isProduction).suspendTrigger;
        if ((Number(monitor.suspendAt) || undefined) !== suspendAt) {
            errors.push(`Resource monitor ${e.monitorName} suspends at ${monitor.suspendAt || "no threshold"}; allowed: ${suspendAt === undefined ? "no suspend trigger in production" : `${suspendAt} %`}: ${fix}.`);
        }
    }
    for (const name of [e.connectionWarehouse, ...e.warehouseNames]) {
        const warehouse = warehouses.find((w) => w.name === name);
        if (!warehouse) {
            if (e.warehouseNames.includes(name)) warnings.push(`Warehouse ${name} is not created yet (or not visible to role ${e.role}); after the first \`pulumi up\` creates it, ${fix} again to attach ${e.monitorName}.`);
            else errors.push(`Connection warehouse ${name} does not exist or is not visible to role ${e.role}: an administrator runs the bootstrap (bootstrap/).`);
        } else if (warehouse.resourceMonitor !== e.monitorName) {
            errors.push(`Warehouse ${name} is capped by ${warehouse.resourceMonitor || "no resource monitor"}; allowed: ${e.monitorName}: ${fix}.`);
        }
    }
    return { errors, warnings };
}

/** Raised when the environment's monitor is missing or differs from the configuration. */
export class MonitorCheckError extends pulumi.RunError {
    constructor(errors: string[]) {
        super(`Cost control of this stack is not in place (issue #10: the bootstrap owns the resource monitor):\n` + errors.map((e) => `  - ${e}`).join("\n"));
        this.name = "MonitorCheckError";
    }
}

/**
 * Reads the monitor and the warehouses' attachment through `provider` (data sources are read
 * during preview too) and rejects when the monitor is missing, has another quota, or a
 * warehouse that exists is capped by no or another monitor. The program awaits it before it
 * declares any other resource, so nothing is created while cost control is missing.
 */
export async function checkResourceMonitor(e: MonitorExpectation, provider: snowflake.Provider): Promise<string> {
    const opts = { provider };
    // `like` is a case-insensitive pattern in which `_` matches any character: compare names exactly afterwards.
    const warehouse = (like: string) => snowflake.getWarehouses({ like, withDescribe: false, withParameters: false }, opts);
    const [m, ...ws] = await Promise.all([snowflake.getResourceMonitors({ like: e.monitorName }, opts), warehouse(e.connectionWarehouse), ...e.warehouseNames.map(warehouse)]);
    const shownMonitors = (m.resourceMonitors ?? []).flatMap((r) => r.showOutputs ?? []);
    const shownWarehouses = ws.flatMap((w) => (w.warehouses ?? []).flatMap((x) => x.showOutputs ?? []));
    const { errors, warnings } = monitorProblems(shownMonitors, shownWarehouses, e);
    for (const w of warnings) pulumi.log.warn(w);
    if (errors.length > 0) throw new MonitorCheckError(errors);
    return e.monitorName;
}

/**
 * Transformation for the warehouse component: the deploy role cannot (and must not) change
 * the monitor that the administrator attached as ACCOUNTADMIN, so the warehouse ignores it.
 */
export const ignoreMonitorAttachment: pulumi.ResourceTransformation = (args) =>
    args.type === "snowflake:index/warehouse:Warehouse"
        ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ["resourceMonitor"] }) }
        : undefined;
