/**
 * What the policies share: the resource types they look at and small readers of the
 * props the engine hands them. Policies compare type tokens instead of importing the
 * provider SDKs, so the pack needs nothing but @pulumi/policy at run time.
 */
import { PolicyResourceOptions } from "@pulumi/policy";

export const TYPES = {
    warehouse: "snowflake:index/warehouse:Warehouse",
    database: "snowflake:index/database:Database",
    schema: "snowflake:index/schema:Schema",
    table: "snowflake:index/table:Table",
    task: "snowflake:index/task:Task",
    alert: "snowflake:index/alert:Alert",
    resourceMonitor: "snowflake:index/resourceMonitor:ResourceMonitor",
    execute: "snowflake:index/execute:Execute",
    tagAssociation: "snowflake:index/tagAssociation:TagAssociation",
    grantPrivileges: "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
    grantAccountRole: "snowflake:index/grantAccountRole:GrantAccountRole",
    grantOwnership: "snowflake:index/grantOwnership:GrantOwnership",
    repositoryEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    branchProtection: "github:index/branchProtection:BranchProtection",
} as const;

/** The policy's config from `--policy-pack-config`, over its defaults. */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
    return { ...defaults, ...given };
}

/** Identifiers as Snowflake compares them: the provider quotes names, we strip the quotes. */
export function unquote(identifier: string): string {
    return identifier
        .split(".")
        .map((part) => part.replace(/^"(.*)"$/, "$1"))
        .join(".");
}

/**
 * `retainOnDelete` when the engine reports it. @pulumi/policy 1.21.0's analyzer protocol
 * does not carry it (only protect, ignoreChanges, aliases, ...), so under the CLI it is
 * undefined and cannot be judged; policy/runner.ts passes the value the program set.
 */
export function retainOnDelete(opts: PolicyResourceOptions): boolean | undefined {
    const value = (opts as PolicyResourceOptions & { retainOnDelete?: boolean }).retainOnDelete;
    return typeof value === "boolean" ? value : undefined;
}

/** `ALTER WAREHOUSE "W" SET RESOURCE_MONITOR = "M"`, as infra/snowflake/costControl.ts writes it. */
const ATTACH_MONITOR = /^\s*ALTER\s+WAREHOUSE\s+("?)([A-Za-z0-9_$]+)\1\s+SET\s+RESOURCE_MONITOR\s*=\s*("?)([A-Za-z0-9_$]+)\3\s*$/i;

export function monitorAttachment(sql: unknown): { warehouse: string; monitor: string } | undefined {
    if (typeof sql !== "string") return undefined;
    const m = ATTACH_MONITOR.exec(sql);
    return m ? { warehouse: m[2], monitor: m[4] } : undefined;
}
