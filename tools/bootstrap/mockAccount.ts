/**
 * Answers the Snowflake data sources the program reads (SHOW RESOURCE MONITORS, SHOW
 * WAREHOUSES) the way the account answers after the stack's bootstrap: the monitor and the
 * connection warehouse exist; the stack's own warehouses exist only if given (after the first
 * `pulumi up`), and then the bootstrap's `ALTER WAREHOUSE IF EXISTS ... SET RESOURCE_MONITOR`
 * has been run again and applies to them. As in Snowflake, SHOW lists only what the calling
 * role (or a role it inherits) holds a privilege on or owns.
 */
import { BootstrapAccount, effectiveRoles } from "./account";

export type SnowflakeCall = (token: string, inputs: Record<string, any>, role: string | undefined) => Record<string, any>;

/** A warehouse the stack has created, and the role that owns it. */
export interface CreatedWarehouse {
    name: string;
    owner: string;
}

const visibleTo = (account: BootstrapAccount, role: string | undefined, on: string, owner?: string) => {
    if (!role || !account.roles.has(role)) return false;
    const roles = effectiveRoles(account, role);
    return (owner !== undefined && roles.has(owner)) || account.privilegeGrants.some((g) => g.on === on && roles.has(g.toRole));
};

/** SQL LIKE (case-insensitive, `%` and `_` wildcards), as the data sources' `like`. */
export function sqlLike(pattern: string, value: string): boolean {
    const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
    return new RegExp(`^${re}$`, "i").test(value);
}

export function freshAccountCall(account: BootstrapAccount, created: CreatedWarehouse[] = []): SnowflakeCall {
    const existing = [...account.warehouses.keys(), ...created.map((w) => w.name)];
    return (token, inputs, role) => {
        if (token === "snowflake:index/getResourceMonitors:getResourceMonitors") {
            const monitors = [...account.monitors.values()].filter((m) => sqlLike(inputs.like ?? "%", m.name) && visibleTo(account, role, `RESOURCE MONITOR ${m.name}`));
            return {
                id: "resource-monitors",
                like: inputs.like,
                resourceMonitors: monitors.map((m) => {
                    const suspend = /ON (\d+) PERCENT DO SUSPEND(?!_)/.exec(m.properties.TRIGGERS ?? "");
                    const assigned = [...account.monitorAssignments.entries()].some(([w, mon]) => mon === m.name && existing.includes(w));
                    return {
                        showOutputs: [
                            {
                                name: m.name,
                                creditQuota: Number(m.properties.CREDIT_QUOTA),
                                frequency: m.properties.FREQUENCY,
                                suspendAt: suspend ? Number(suspend[1]) : 0,
                                level: assigned ? "WAREHOUSE" : "",
                            },
                        ],
                    };
                }),
            };
        }
        if (token === "snowflake:index/getWarehouses:getWarehouses") {
            const all = [...[...account.warehouses.values()].map((w) => ({ name: w.name, owner: w.owner })), ...created];
            const warehouses = all.filter((w) => sqlLike(inputs.like ?? "%", w.name) && visibleTo(account, role, `WAREHOUSE ${w.name}`, created.includes(w as CreatedWarehouse) ? w.owner : undefined));
            return {
                id: "warehouses",
                like: inputs.like,
                warehouses: warehouses.map((w) => ({ showOutputs: [{ name: w.name, resourceMonitor: account.monitorAssignments.get(w.name) ?? "" }], describeOutputs: [], parameters: [] })),
            };
        }
        throw new Error(`tools/bootstrap/mockAccount.ts: no answer for ${token} (add one that behaves like Snowflake)`);
    };
}
