import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { SAMPLE_LOADER } from "./pipelineSteps";
import { pythonProcedure } from "./pythonProcedure";

export interface SampleDataArgs {
    /** `{ENV}_RAW_DB`. */
    rawDatabase: pulumi.Input<string>;
    /** Its PUBLIC schema. */
    rawSchema: pulumi.Input<string>;
    /** ML_{ENV}_ROLE, which may call the loader but has no other write access to raw data. */
    mlRoleName: pulumi.Input<string>;
}

/**
 * LOAD_SAMPLE_CUSTOMERS in {ENV}_RAW_DB.PUBLIC (dev, sit and uat only). Owned by the deploy
 * role, which owns the raw data, and run with its rights: the ML role gets USAGE on this
 * one procedure, so its task graph can load synthetic customers while the role stays
 * read-only on the raw tables.
 */
export class SampleData extends pulumi.ComponentResource {
    readonly loader: snowflake.ProcedurePython;
    readonly usageGrant: snowflake.GrantPrivilegesToAccountRole;

    constructor(name: string, args: SampleDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:SampleData", name, {}, opts);
        this.loader = pythonProcedure(`${name}-loader`, { database: args.rawDatabase, schema: args.rawSchema, procedure: SAMPLE_LOADER, executeAs: "OWNER" }, { parent: this });
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
