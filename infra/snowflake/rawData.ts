import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { CUSTOMERS_COLUMNS } from "./columns";
import { dataTable } from "./dataTable";
import { SCHEMAS, TABLES } from "./names";

export interface RawDataArgs {
    /** `{ENV}_RAW_DB`. */
    databaseName: string;
    env: string;
    /** `protect` the database and table (prd). */
    protect: boolean;
    /** What the CUSTOMERS table waits for: the schema's FUTURE grants (grant race, mlRole.ts). */
    objectsDependOn?: pulumi.Input<pulumi.Resource[]>;
}

/** `{ENV}_RAW_DB.PUBLIC.CUSTOMERS`: the customers the pipeline reads (read-only for the ML role). */
export class RawData extends pulumi.ComponentResource {
    readonly database: snowflake.Database;
    readonly schema: snowflake.Schema;
    readonly customersTable: snowflake.Table;

    constructor(name: string, args: RawDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:RawData", name, {}, opts);
        this.database = new snowflake.Database(
            `${name}-database`,
            {
                name: args.databaseName,
                // The PUBLIC schema is declared below so it is managed (and tagged) like the others.
                dropPublicSchemaOnCreation: true,
                comment: `${args.env} raw customer data. Managed by Pulumi.`,
            },
            { parent: this, retainOnDelete: true, protect: args.protect },
        );
        this.schema = new snowflake.Schema(
            `${name}-public`,
            // Managed access, so the deploy role may define the ML role's future grants here (mlDatabase.ts).
            { database: this.database.name, name: SCHEMAS.rawPublic, withManagedAccess: "true", comment: "Raw customer tables." },
            { parent: this, retainOnDelete: true, protect: args.protect },
        );
        this.customersTable = dataTable(
            `${name}-customers`,
            {
                database: this.database.name,
                schema: this.schema.name,
                name: TABLES.customers,
                columns: CUSTOMERS_COLUMNS,
                // The Feature Store's dynamic tables read it incrementally (SPEC §8).
                changeTracking: true,
                comment: "Bank customers with churn label (TARGET_LABEL 1 = churned).",
            },
            args.protect,
            { parent: this, dependsOn: args.objectsDependOn },
        );
        this.registerOutputs({ database: this.database.name, customersTable: this.customersTable.fullyQualifiedName });
    }
}
