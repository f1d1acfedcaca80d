/**
 * The explicit Snowflake providers of a stack. All log in as the stack's own service user
 * (created by the bootstrap, bootstrap/<stack>/) and connect with the bootstrap's warehouse;
 * they differ only in the role they act as:
 *
 * - `deploy`: the deploy role PULUMI_{ENV}_DEPLOY_ROLE (never ACCOUNTADMIN, SECURITYADMIN or
 *   SYSADMIN) - everything except what follows;
 * - `pipeline`: ML_{ENV}_ROLE, so the procedures, the task graph and the alerts are created,
 *   and therefore owned, by the role that runs them (see README, "Who owns what").
 *
 * With SNOWFLAKE_MLOPS_IDENTITY=preview both log in as the read-only preview user and role
 * (stacks/identity.ts).
 *
 * Why every provider names a warehouse that the bootstrap creates: provider v1.2.1 reads a
 * view or tag back with SELECT ... FROM TABLE(SNOWFLAKE.INFORMATION_SCHEMA.POLICY_REFERENCES(...))
 * (pkg/resources/view.go ReadView, pkg/resources/tag.go ReadTag, pkg/sdk/policy_references.go),
 * which fails with "No active warehouse selected" without one; and the provider opens its
 * session when it is configured, which Pulumi does during preview (pkg/sdk/client.go
 * NewClient pings), when the stack's own warehouse does not exist yet.
 *
 * Why there is no private key here: provider v1.2.1 reads `private_key` from the
 * SNOWFLAKE_PRIVATE_KEY environment variable when the argument is unset
 * (pkg/provider/provider.go: `DefaultFunc: schema.EnvDefaultFunc(snowflakeenvs.PrivateKey, nil)`,
 * `Sensitive: true`), inside the provider plugin at configure time. pulumi-snowflake v1.3.0
 * gives Pulumi-level environment defaults only to host, password, port,
 * private_key_passphrase, protocol, role and warehouse (provider/resources.go `Config`), so
 * @pulumi/snowflake's provider.js copies those into the inputs but never the private key; and
 * the bridge does not write the plugin's defaults back in CheckConfig
 * (pulumi-terraform-bridge#1238). So the key never reaches the inputs or the state.
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

/**
 * Credential variables that @pulumi/snowflake 1.3.0 copies into the provider's inputs when
 * the argument is unset (pulumi-snowflake provider/resources.go `Config` env defaults;
 * provider.js `utilities.getEnv`), so a credential in them would be stored in the state.
 */
export const CREDENTIAL_VARIABLES_COPIED_INTO_STATE = ["SNOWFLAKE_PASSWORD", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"] as const;

export interface SnowflakeConnection {
    organizationName: string;
    accountName: string;
    /** Service user created by the bootstrap (deploy or preview). */
    user: string;
    /** Warehouse created by the bootstrap (PULUMI_{ENV}_WH), never one the stack creates. */
    warehouse: string;
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
            // Key-pair auth; the key itself comes from SNOWFLAKE_PRIVATE_KEY (see above).
            authenticator: "SNOWFLAKE_JWT",
            params: { query_tag: connection.queryTag },
            previewFeaturesEnabled: [...features],
        },
        opts,
    );
}
