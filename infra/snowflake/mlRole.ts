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

    constructor(name: string, args: MlRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:MlRole", name, {}, opts);
        this.roleName = args.roleName;
        const roleName = args.roleName;
        const grant = (key: string, grantArgs: Omit<snowflake.GrantPrivilegesToAccountRoleArgs, "accountRoleName">) => {
            const g = new snowflake.GrantPrivilegesToAccountRole(`${name}-${key}`, { accountRoleName: roleName, ...grantArgs }, { parent: this });
            this.grants.push(g);
            return g;
        };

        grant("account", { privileges: ACCOUNT_PRIVILEGES, onAccount: true });
        grant("warehouse", { privileges: ["USAGE", "OPERATE", "MONITOR"], onAccountObject: { objectType: "WAREHOUSE", objectName: args.warehouseName } });

        // Raw data: read-only.
        grant("raw-database", { privileges: ["USAGE"], onAccountObject: { objectType: "DATABASE", objectName: args.rawDatabaseName } });
        grant("raw-schema", { privileges: ["USAGE"], onSchema: { schemaName: args.rawSchemaFqn } });
        grant("raw-tables", { privileges: ["SELECT"], onSchemaObject: { all: { objectTypePlural: "TABLES", inSchema: args.rawSchemaFqn } } });
        grant("raw-future-tables", { privileges: ["SELECT"], onSchemaObject: { future: { objectTypePlural: "TABLES", inSchema: args.rawSchemaFqn } } });

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
                const privileges = obj.privileges === "ALL" ? { allPrivileges: true } : { privileges: obj.privileges };
                const o = slug(obj.objectTypePlural);
                grant(`${s}-all-${o}`, { ...privileges, onSchemaObject: { all: { objectTypePlural: obj.objectTypePlural, inSchema: schemaFqn } } });
                grant(`${s}-future-${o}`, { ...privileges, onSchemaObject: { future: { objectTypePlural: obj.objectTypePlural, inSchema: schemaFqn } } });
            }
        }
        this.registerOutputs({ role: roleName });
    }
}
