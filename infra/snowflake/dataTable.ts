import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import { Column } from "./columns";

export interface DataTableArgs {
    database: pulumi.Input<string>;
    schema: pulumi.Input<string>;
    name: string;
    columns: Column[];
    comment: string;
    changeTracking?: boolean;
    /** Time Travel retention in days; unset inherits the database's. */
    dataRetentionTimeInDays?: number;
}

/**
 * A table that holds data. With an explicit name a replacement is delete-before-create,
 * so every data table is `retainOnDelete` (a destroy or replace leaves the table in
 * Snowflake) and `protect`ed where the stack says so (prd): data is never lost to a
 * mistake in code.
 */
export function dataTable(resourceName: string, args: DataTableArgs, protect: boolean, opts: pulumi.CustomResourceOptions): snowflake.Table {
    return new snowflake.Table(
        resourceName,
        {
            database: args.database,
            schema: args.schema,
            name: args.name,
            comment: args.comment,
            changeTracking: args.changeTracking,
            dataRetentionTimeInDays: args.dataRetentionTimeInDays,
            columns: args.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, comment: c.comment })),
        },
        { ...opts, retainOnDelete: true, protect },
    );
}
