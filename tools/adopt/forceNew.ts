/**
 * Which inputs of the stateful resource types force a replacement in
 * terraform-provider-snowflake v1.2.1 (bridged by @pulumi/snowflake 1.3.0): the schema
 * fields marked `ForceNew: true`, and the CustomizeDiff `ForceNewIfChange` rules, read in
 * pkg/resources/<file>.go at tag v1.2.1 (file:line in `source`).
 *
 * A replacement of a database, schema, table or stage drops what it holds, so adoption must
 * keep every one of these inputs equal to what the live object has (test/adopt.report.test.ts).
 * Inputs not listed are changed in place (ALTER): for a table that includes columns, which
 * UpdateTable adds, alters or drops one by one (table.go), never by recreating the table.
 */
import { TYPES } from "./importIds";

export interface ForceNewRule {
    /** Pulumi input name (the Terraform field in snake case in `field`). */
    input: string;
    field: string;
    /** Always, or only under the condition the CustomizeDiff checks. */
    when: "any change" | string;
    source: string;
}

export const STATEFUL_FORCE_NEW: Record<string, ForceNewRule[]> = {
    [TYPES.database]: [{ input: "isTransient", field: "is_transient", when: "any change", source: "pkg/resources/database.go:44" }],
    [TYPES.schema]: [
        { input: "database", field: "database", when: "any change", source: "pkg/resources/schema.go:35" },
        { input: "isTransient", field: "is_transient", when: "any change", source: "pkg/resources/schema.go:51" },
    ],
    [TYPES.table]: [
        { input: "schema", field: "schema", when: "any change", source: "pkg/resources/table.go:37" },
        { input: "database", field: "database", when: "any change", source: "pkg/resources/table.go:43" },
    ],
    [TYPES.stage]: [
        { input: "name", field: "name", when: "any change", source: "pkg/resources/stage.go:27" },
        { input: "database", field: "database", when: "any change", source: "pkg/resources/stage.go:33" },
        { input: "schema", field: "schema", when: "any change", source: "pkg/resources/stage.go:39" },
        { input: "directory", field: "directory", when: "any change", source: "pkg/resources/stage.go:81" },
    ],
    [TYPES.dynamicTable]: [
        { input: "name", field: "name", when: "any change", source: "pkg/resources/dynamic_table.go:38" },
        { input: "query", field: "query", when: "any change", source: "pkg/resources/dynamic_table.go:80" },
        { input: "refreshMode", field: "refresh_mode", when: "any change", source: "pkg/resources/dynamic_table.go:95" },
        { input: "initialize", field: "initialize", when: "any change", source: "pkg/resources/dynamic_table.go:103" },
    ],
    // Not stateful, but a replaced warehouse interrupts the running pipeline.
    [TYPES.warehouse]: [
        { input: "warehouseSize", field: "warehouse_size", when: "removed (set before, unset now)", source: "pkg/resources/warehouse.go:217 customdiff.ForceNewIfChange" },
    ],
};

/** Types that hold data: a replacement of one of them loses it. */
export const STATEFUL_TYPES = [TYPES.database, TYPES.schema, TYPES.table, TYPES.stage, TYPES.dynamicTable] as const;
