/**
 * The explicit Snowflake providers of a stack. Each uses the deploying service user with
 * key-pair auth; they differ only in the role they act as:
 *
 * - `deploy`: the deploy role created by the bootstrap (never ACCOUNTADMIN) - everything
 *   except what follows;
 * - `pipeline`: the stack's ML_{ENV}_ROLE, so the procedures and the task graph are
 *   created, and therefore owned, by the role that runs them (transferring ownership of
 *   tasks fails in provider 1.3.0, see NOTES);
 * - `accountAdmin`: the role configured as `resourceMonitorRole`, only for resource
 *   monitors, which Snowflake lets no other role create or attach.
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

/**
 * Preview resources per provider. A resource type missing here fails at apply and
 * refresh time (not at preview); test/providers.test.ts checks that each list is exactly
 * the preview types that provider's resources use.
 */
export const PREVIEW_FEATURES = {
    deploy: ["snowflake_table_resource", "snowflake_stage_resource", "snowflake_procedure_python_resource", "snowflake_email_notification_integration_resource"],
    pipeline: ["snowflake_procedure_python_resource", "snowflake_alert_resource"],
    accountAdmin: [] as string[],
} as const;

/** Resource types that are preview features in provider 1.3.0, with their flag. */
export const PREVIEW_FEATURE_OF_TYPE: Record<string, string> = {
    "snowflake:index/table:Table": "snowflake_table_resource",
    "snowflake:index/stage:Stage": "snowflake_stage_resource",
    "snowflake:index/dynamicTable:DynamicTable": "snowflake_dynamic_table_resource",
    "snowflake:index/alert:Alert": "snowflake_alert_resource",
    "snowflake:index/notificationIntegration:NotificationIntegration": "snowflake_notification_integration_resource",
    "snowflake:index/emailNotificationIntegration:EmailNotificationIntegration": "snowflake_email_notification_integration_resource",
    "snowflake:index/procedurePython:ProcedurePython": "snowflake_procedure_python_resource",
    "snowflake:index/procedureSql:ProcedureSql": "snowflake_procedure_sql_resource",
    "snowflake:index/userPublicKeys:UserPublicKeys": "snowflake_user_public_keys_resource",
    "snowflake:index/fileFormat:FileFormat": "snowflake_file_format_resource",
};

export interface SnowflakeConnection {
    organizationName: string;
    accountName: string;
    user: string;
    privateKey: pulumi.Input<string>;
    warehouse?: string;
    /** Tags every session so the stack's queries are found in QUERY_HISTORY. */
    queryTag: string;
}

export function snowflakeProvider(
    name: string,
    role: string,
    features: readonly string[],
    connection: SnowflakeConnection,
    opts?: pulumi.CustomResourceOptions,
): snowflake.Provider {
    return new snowflake.Provider(
        name,
        {
            organizationName: connection.organizationName,
            accountName: connection.accountName,
            user: connection.user,
            role,
            warehouse: connection.warehouse,
            authenticator: "SNOWFLAKE_JWT",
            privateKey: pulumi.secret(connection.privateKey),
            params: { query_tag: connection.queryTag },
            previewFeaturesEnabled: [...features],
        },
        opts,
    );
}
