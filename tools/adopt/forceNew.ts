/**
 * Which inputs of the stateful resource types force a replacement in
 * terraform-provider-snowflake v1.2.1 (bridged by @pulumi/snowflake 1.3.0): the schema
 * fields marked `ForceNew: true`, and the CustomizeDiff `ForceNewIfChange` rules, read in
 * pkg/resources/<file>.go at tag v1.2.1 (file:line in `source`).
 *
 * The same for GitHub environments in terraform-provider-github v6.13.0 (bridged by
 * @pulumi/github 6.15.0), read in github/<file>.go at tag v6.13.0: replacing an environment
 * deletes it, and with it the secrets an administrator put into it by hand (docs.github.com,
 * "Managing environments for deployment": deleting an environment deletes its secrets and
 * protection rules), which no state holds.
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
    [TYPES.repositoryEnvironment]: [
        { input: "repository", field: "repository", when: "a new name that is not a rename of the same repository", source: "github/util_diff.go:17 diffRepository (github v6.13.0)" },
        { input: "environment", field: "environment", when: "any change", source: "github/resource_github_repository_environment.go:43 (github v6.13.0)" },
    ],
    // Not stateful, but a replaced warehouse interrupts the running pipeline.
    [TYPES.warehouse]: [
        { input: "warehouseSize", field: "warehouse_size", when: "removed (set before, unset now)", source: "pkg/resources/warehouse.go:217 customdiff.ForceNewIfChange" },
    ],
};

/** Types that hold data (an environment: its secrets): a replacement of one of them loses it. */
export const STATEFUL_TYPES = [TYPES.database, TYPES.schema, TYPES.table, TYPES.stage, TYPES.dynamicTable, TYPES.repositoryEnvironment] as const;
