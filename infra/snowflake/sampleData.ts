import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { SAMPLE_LOADER, SAMPLE_LOADER_TABLE_ARGUMENT } from "./pipelineSteps";
import { pythonProcedure } from "./pythonProcedure";

export interface SampleDataArgs {
    /** `{ENV}_RAW_DB`. */
    rawDatabase: pulumi.Input<string>;
    /** Its PUBLIC schema. */
    rawSchema: pulumi.Input<string>;
    /** ML_{ENV}_ROLE, which may call the loader but has no other write access to raw data. */
    mlRoleName: pulumi.Input<string>;
    /** `{ENV}_RAW_DB.PUBLIC.CUSTOMERS`: the one table the loader writes, bound into its code. */
    customersTable: string;
}

/**
 * LOAD_SAMPLE_CUSTOMERS in {ENV}_RAW_DB.PUBLIC (dev, sit and uat only). Owned by the deploy
 * role, which owns the raw data, and run with its rights: the ML role gets USAGE on this
 * one procedure, so its task graph can load synthetic customers while the role stays
 * read-only on the raw tables. Because it runs with its owner's rights it takes no table
 * argument: it writes its own environment's CUSTOMERS and nothing else, and only this
 * environment's ML role may call it. Snowflake refuses named temporary objects in an
 * owner's-rights procedure, so the loader merges its rows as bound VALUES
 * (ml/src/churn_ml/snowflake_sql.py merge_new_customers), never through a DataFrame upload.
 */
export class SampleData extends pulumi.ComponentResource {
    readonly loader: snowflake.ProcedurePython;
    readonly usageGrant: snowflake.GrantPrivilegesToAccountRole;

    constructor(name: string, args: SampleDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:SampleData", name, {}, opts);
        this.loader = pythonProcedure(
            `${name}-loader`,
            { database: args.rawDatabase, schema: args.rawSchema, procedure: SAMPLE_LOADER, executeAs: "OWNER", boundArguments: { [SAMPLE_LOADER_TABLE_ARGUMENT]: args.customersTable } },
            { parent: this },
        );
        this.usageGrant = new snowflake.GrantPrivilegesToAccountRole(
            `${name}-loader-usage`,
            {
                accountRoleName: args.mlRoleName,
                privileges: ["USAGE"],
                onSchemaObject: { objectType: "PROCEDURE", objectName: this.loader.fullyQualifiedName },
            },
            { parent: this },
        );
        this.registerOutputs({ loader: this.loader.fullyQualifiedName });
    }
}
