import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

/**
 * What the scheduled drift check (`pulumi refresh --preview-only --expect-no-changes
 * --run-program`, .github/scripts/drift-check.sh) refreshes: the resource types that the
 * stack's read-only preview role can read back after the grants below. The provider's Read
 * (terraform-provider-snowflake v1.2.1, pkg/resources/*.go) runs SHOW <objects> LIKE and
 * DESCRIBE; SHOW "lists only objects for which the role has access privileges" (Snowflake
 * docs, SHOW <objects>), so a role without a privilege on an object sees it as deleted.
 *
 * - Database, Schema: USAGE (SHOW DATABASES / SHOW SCHEMAS, DESCRIBE, SHOW PARAMETERS).
 * - Warehouse: MONITOR (SHOW WAREHOUSES; MONITOR cannot resume, resize or use it).
 * - Table, View: REFERENCES (SHOW TABLES/VIEWS and DESCRIBE, but no SELECT of the data).
 *
 * Not covered (the role cannot or must not read them; `pulumi up --refresh` in every deploy
 * restores them): grants of every kind (SHOW GRANTS / SHOW FUTURE GRANTS IN SCHEMA need
 * OWNERSHIP or MANAGE GRANTS), procedures (USAGE would execute them with the owner's rights),
 * stages (READ on an internal stage downloads the model and code artifacts), the notification
 * integration (USAGE lets SYSTEM$SEND_EMAIL send mail), tags and tag associations, tasks and
 * alerts (not granted yet), the GitHub resources (the drift job holds no GitHub token).
 */
export const DRIFT_CHECKED_TYPES = [
    "snowflake:index/database:Database",
    "snowflake:index/schema:Schema",
    "snowflake:index/warehouse:Warehouse",
    "snowflake:index/table:Table",
    "snowflake:index/view:View",
] as const;

/** Privileges the preview role holds, per object kind: all of them read metadata only. */
export const PREVIEW_PRIVILEGES = {
    database: ["USAGE"],
    schema: ["USAGE"],
    warehouse: ["MONITOR"],
    tablesAndViews: ["REFERENCES"],
} as const;

export interface PreviewAccessArgs {
    /** `PULUMI_{ENV}_PREVIEW_ROLE`, from the bootstrap (config `snowflakePreviewRole`). */
    roleName: string;
    databaseNames: pulumi.Input<string>[];
    /** Fully qualified schema names, keyed like `MlRole.futureGrants` (the objects wait for these). */
    schemaFqns: Record<string, pulumi.Input<string>>;
    warehouseNames: pulumi.Input<string>[];
}

/**
 * The read-only visibility of the stack's preview role, granted by the deploy provider (the
 * owner of the managed-access schemas may grant on their objects). FUTURE grants come before
 * ALL grants and the schema's objects wait for them, as for the ML role (mlRole.ts).
 */
export class PreviewAccess extends pulumi.ComponentResource {
    readonly futureGrants: Record<string, snowflake.GrantPrivilegesToAccountRole[]> = {};

    constructor(name: string, args: PreviewAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:PreviewAccess", name, {}, opts);
        const grant = (key: string, grantArgs: Omit<snowflake.GrantPrivilegesToAccountRoleArgs, "accountRoleName">, dependsOn: pulumi.Resource[] = []) =>
            new snowflake.GrantPrivilegesToAccountRole(`${name}-${key}`, { accountRoleName: args.roleName, ...grantArgs }, { parent: this, dependsOn });
        args.databaseNames.forEach((db, i) => grant(`database-${i}`, { privileges: [...PREVIEW_PRIVILEGES.database], onAccountObject: { objectType: "DATABASE", objectName: db } }));
        args.warehouseNames.forEach((wh, i) => grant(`warehouse-${i}`, { privileges: [...PREVIEW_PRIVILEGES.warehouse], onAccountObject: { objectType: "WAREHOUSE", objectName: wh } }));
        for (const [key, fqn] of Object.entries(args.schemaFqns)) {
            const k = key.toLowerCase().replace(/[^a-z0-9]+/g, "-");
            grant(`${k}-schema`, { privileges: [...PREVIEW_PRIVILEGES.schema], onSchema: { schemaName: fqn } });
            for (const plural of ["TABLES", "VIEWS"]) {
                const p = plural.toLowerCase();
                const future = grant(`${k}-future-${p}`, { privileges: [...PREVIEW_PRIVILEGES.tablesAndViews], onSchemaObject: { future: { objectTypePlural: plural, inSchema: fqn } } });
                (this.futureGrants[key] ??= []).push(future);
                grant(`${k}-all-${p}`, { privileges: [...PREVIEW_PRIVILEGES.tablesAndViews], onSchemaObject: { all: { objectTypePlural: plural, inSchema: fqn } } }, [future]);
            }
        }
        this.registerOutputs({ role: args.roleName });
    }
}

/** MONITOR on a warehouse declared outside PreviewAccess (the alert warehouse). */
export function previewWarehouseMonitor(name: string, roleName: string, warehouseName: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
    return new snowflake.GrantPrivilegesToAccountRole(name, { accountRoleName: roleName, privileges: [...PREVIEW_PRIVILEGES.warehouse], onAccountObject: { objectType: "WAREHOUSE", objectName: warehouseName } }, opts);
}

/** `--target` URN globs (pulumi v3.248.0 pkg/resource/deploy/deployment.go NewUrnTargets: `**` = any text). */
export function driftTargets(stack: string, project: string): string[] {
    return DRIFT_CHECKED_TYPES.map((t) => `urn:pulumi:${stack}::${project}::**${t}::**`);
}
