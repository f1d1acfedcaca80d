import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { ACCOUNT_PRIVILEGES, fullUseSchemaGrants, PRODUCTION_SCHEMA_GRANTS, SchemaGrantPlan } from "./mlRoleGrants";

export interface MlRoleArgs {
    /** `ML_{ENV}_ROLE`, created by the bootstrap (bootstrap/<stack>/01_roles.sql). */
    roleName: string;
    /** Production gets the narrow grant set. */
    isProduction: boolean;
    warehouseName: pulumi.Input<string>;
    rawDatabaseName: pulumi.Input<string>;
    /** `"RAW_DB"."PUBLIC"`. */
    rawSchemaFqn: pulumi.Input<string>;
    mlDatabaseName: pulumi.Input<string>;
    /** Fully qualified names of the ML schemas, by schema name. */
    mlSchemaFqns: Record<string, pulumi.Input<string>>;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** Key of the raw PUBLIC schema in `MlRole.futureGrants` (the ML schemas are keyed by name). */
export const RAW_SCHEMA_KEY = "raw";

/**
 * The privileges of ML_{ENV}_ROLE: owns and runs the environment's pipeline; reads raw data,
 * writes ML data. The role itself comes from the bootstrap, because the pipeline provider
 * logs in as it and Pulumi configures providers during preview (a role the stack created
 * would not exist at the first preview); the bootstrap also grants it to the deploy role,
 * through which the deploy user reaches it (no direct grant to the user).
 */
export class MlRole extends pulumi.ComponentResource {
    readonly roleName: string;
    readonly grants: pulumi.Resource[] = [];
    /**
     * The FUTURE grants per schema: `raw` for the raw PUBLIC schema, else the ML schema's name.
     * Every table, view and stage the stack declares in a schema waits for these (see below).
     */
    readonly futureGrants: Record<string, snowflake.GrantPrivilegesToAccountRole[]> = {};

    constructor(name: string, args: MlRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:MlRole", name, {}, opts);
        this.roleName = args.roleName;
        const roleName = args.roleName;
        const grant = (key: string, grantArgs: Omit<snowflake.GrantPrivilegesToAccountRoleArgs, "accountRoleName">, dependsOn: pulumi.Resource[] = []) => {
            const g = new snowflake.GrantPrivilegesToAccountRole(`${name}-${key}`, { accountRoleName: roleName, ...grantArgs }, { parent: this, dependsOn });
            this.grants.push(g);
            return g;
        };
        // Grant race (issue 9): an ALL grant covers the objects that exist when it runs, a FUTURE
        // grant those created after it, and neither is ever re-run. So the FUTURE grant comes
        // first, the ALL grant waits for it, and the stack's objects wait for the FUTURE grant:
        // no object can be created between the two and get neither.
        const currentAndFuture = (key: string, schemaKey: string, objectTypePlural: string, inSchema: pulumi.Input<string>, privileges: Pick<snowflake.GrantPrivilegesToAccountRoleArgs, "privileges" | "allPrivileges">) => {
            const future = grant(`${key}-future-${slug(objectTypePlural)}`, { ...privileges, onSchemaObject: { future: { objectTypePlural, inSchema } } });
            (this.futureGrants[schemaKey] ??= []).push(future);
            grant(`${key}-all-${slug(objectTypePlural)}`, { ...privileges, onSchemaObject: { all: { objectTypePlural, inSchema } } }, [future]);
        };

        grant("account", { privileges: ACCOUNT_PRIVILEGES, onAccount: true });
        grant("warehouse", { privileges: ["USAGE", "OPERATE", "MONITOR"], onAccountObject: { objectType: "WAREHOUSE", objectName: args.warehouseName } });

        // Raw data: read-only.
        grant("raw-database", { privileges: ["USAGE"], onAccountObject: { objectType: "DATABASE", objectName: args.rawDatabaseName } });
        grant("raw-schema", { privileges: ["USAGE"], onSchema: { schemaName: args.rawSchemaFqn } });
        currentAndFuture("raw", RAW_SCHEMA_KEY, "TABLES", args.rawSchemaFqn, { privileges: ["SELECT"] });

        // ML database: full use outside production, least privilege in production.
        grant("ml-database", { privileges: ["USAGE"], onAccountObject: { objectType: "DATABASE", objectName: args.mlDatabaseName } });
        const plans: SchemaGrantPlan[] = args.isProduction ? PRODUCTION_SCHEMA_GRANTS : fullUseSchemaGrants(Object.keys(args.mlSchemaFqns));
        for (const plan of plans) {
            const schemaFqn = args.mlSchemaFqns[plan.schema];
            if (schemaFqn === undefined) throw new Error(`No ML schema ${plan.schema} to grant on`);
            const s = slug(plan.schema);
            grant(`${s}-schema`, {
                ...(plan.schemaPrivileges === "ALL" ? { allPrivileges: true } : { privileges: plan.schemaPrivileges }),
                onSchema: { schemaName: schemaFqn },
            });
            for (const obj of plan.objects) {
                currentAndFuture(s, plan.schema, obj.objectTypePlural, schemaFqn, obj.privileges === "ALL" ? { allPrivileges: true } : { privileges: obj.privileges });
            }
        }
        this.registerOutputs({ role: roleName });
    }
}
