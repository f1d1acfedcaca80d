/**
 * The import ID each provider expects for a resource, computed from the inputs the program
 * gives it, in the formats of terraform-provider-snowflake v1.2.1 (bridged by
 * @pulumi/snowflake 1.3.0) and terraform-provider-github v6.13.0 (@pulumi/github 6.15.0).
 *
 * Sources (read at those tags):
 * - snowflake: docs/resources/<resource>.md "Import", and the importers in
 *   pkg/resources/<resource>.go. Objects managed by the newer resources take quoted
 *   identifiers (`"DB"."SCHEMA"."NAME"`, parsed by sdk.Parse*Identifier); the older ones
 *   (table, stage, alert, dynamic table) use schema.ImportStatePassthroughContext and
 *   read their ID with helpers.DecodeSnowflakeID, which splits on `|` and does not unquote
 *   (pkg/helpers/helpers.go), so they take `DB|SCHEMA|NAME`. Grants take
 *   `<role>|<with_grant_option>|<always_apply>|<privileges>|<kind>|<data...>`
 *   (pkg/resources/grant_privileges_to_account_role_identifier.go, ParseGrantPrivilegesToAccountRoleId).
 * - github: docs/resources/<resource>.md "Import" and github/util.go parseID2/parseID3
 *   (parts joined by `:`; a `:` inside an environment name is escaped as `??`).
 */
import { RecordedResource } from "../evaluate";

export const TYPES = {
    warehouse: "snowflake:index/warehouse:Warehouse",
    database: "snowflake:index/database:Database",
    schema: "snowflake:index/schema:Schema",
    table: "snowflake:index/table:Table",
    dynamicTable: "snowflake:index/dynamicTable:DynamicTable",
    view: "snowflake:index/view:View",
    stage: "snowflake:index/stage:Stage",
    accountRole: "snowflake:index/accountRole:AccountRole",
    databaseRole: "snowflake:index/databaseRole:DatabaseRole",
    grant: "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
    roleGrant: "snowflake:index/grantAccountRole:GrantAccountRole",
    ownership: "snowflake:index/grantOwnership:GrantOwnership",
    tag: "snowflake:index/tag:Tag",
    tagAssociation: "snowflake:index/tagAssociation:TagAssociation",
    procedurePython: "snowflake:index/procedurePython:ProcedurePython",
    task: "snowflake:index/task:Task",
    alert: "snowflake:index/alert:Alert",
    emailIntegration: "snowflake:index/emailNotificationIntegration:EmailNotificationIntegration",
    resourceMonitor: "snowflake:index/resourceMonitor:ResourceMonitor",
    serviceUser: "snowflake:index/serviceUser:ServiceUser",
    user: "snowflake:index/user:User",
    branchProtection: "github:index/branchProtection:BranchProtection",
    repositoryEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    deploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    environmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    environmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
} as const;

/** `"A"."B"` from `A.B`, `"A"."B"` or parts; names of this project hold no dots or quotes. */
export function quoted(...parts: string[]): string {
    return parts
        .flatMap((p) => (p.startsWith('"') ? [p] : p.split(".")))
        .map((p) => (p.startsWith('"') ? p : `"${p}"`))
        .join(".");
}

/** `A|B|C` from quoted or plain parts: the legacy ID of tables, stages, alerts, dynamic tables. */
export function piped(...parts: string[]): string {
    return parts
        .flatMap((p) => (p.startsWith('"') ? p.split(".") : [p]))
        .map((p) => p.replace(/^"|"$/g, ""))
        .join("|");
}

/** github/util.go escapeIDPart: a `:` in a part is written `??`. */
const gh = (...parts: string[]) => parts.map((p) => p.replace(/:/g, "??")).join(":");

/** Privileges as the grant ID lists them: "ALL" or the list joined by commas, as declared. */
export function grantPrivileges(inputs: Record<string, any>): string {
    return inputs.allPrivileges === true ? "ALL" : (inputs.privileges as string[]).join(",");
}

/**
 * What a privileges grant is on, as the `<kind>|<data>` tail of its ID; the grant's identity
 * without its privileges (two grants with the same target and role are one grant).
 */
export function grantTarget(inputs: Record<string, any>): string {
    if (inputs.onAccount === true) return "OnAccount";
    if (inputs.onAccountObject) return `OnAccountObject|${inputs.onAccountObject.objectType}|${quoted(inputs.onAccountObject.objectName)}`;
    const s = inputs.onSchema;
    if (s) {
        if (s.schemaName) return `OnSchema|OnSchema|${quoted(s.schemaName)}`;
        if (s.allSchemasInDatabase) return `OnSchema|OnAllSchemasInDatabase|${quoted(s.allSchemasInDatabase)}`;
        if (s.futureSchemasInDatabase) return `OnSchema|OnFutureSchemasInDatabase|${quoted(s.futureSchemasInDatabase)}`;
    }
    const o = inputs.onSchemaObject;
    if (o) {
        if (o.objectType) return `OnSchemaObject|OnObject|${o.objectType}|${quoted(o.objectName)}`;
        for (const [key, kind] of [["all", "OnAll"], ["future", "OnFuture"]] as const) {
            const bulk = o[key];
            if (!bulk) continue;
            if (bulk.inSchema) return `OnSchemaObject|${kind}|${bulk.objectTypePlural}|InSchema|${quoted(bulk.inSchema)}`;
            if (bulk.inDatabase) return `OnSchemaObject|${kind}|${bulk.objectTypePlural}|InDatabase|${quoted(bulk.inDatabase)}`;
        }
    }
    throw new Error(`grant to ${inputs.accountRoleName}: no target the import ID format knows (${JSON.stringify(inputs)})`);
}

/** The grant's ID: with_grant_option and always_apply are never set by this project (false). */
export function grantId(role: string, privileges: string, target: string, withGrantOption = false, alwaysApply = false): string {
    return [quoted(role), String(withGrantOption), String(alwaysApply), privileges, target].join("|");
}

export interface ImportContext {
    /** Numeric ids of existing GitHub deployment-branch policies, by `environment:pattern`. */
    deploymentPolicyIds?: Record<string, string>;
}

/**
 * The import ID of `r`, or undefined when the provider cannot import it (snowflake_execute,
 * whose ID is a random UUID) or needs a fact the program does not hold (a GitHub
 * deployment-branch policy's numeric id, unless given in `ctx`).
 */
export function importId(r: Pick<RecordedResource, "type" | "inputs">, ctx: ImportContext = {}): string | undefined {
    const i = r.inputs;
    const inSchema = () => [i.database, i.schema, i.name] as string[];
    switch (r.type) {
        case TYPES.warehouse:
        case TYPES.database:
        case TYPES.accountRole:
        case TYPES.resourceMonitor:
        case TYPES.serviceUser:
        case TYPES.user:
            return quoted(i.name);
        case TYPES.schema:
            return quoted(i.database, i.name);
        case TYPES.databaseRole:
            return quoted(i.database, i.name);
        case TYPES.view:
        case TYPES.task:
        case TYPES.tag:
            return quoted(...inSchema());
        case TYPES.table:
        case TYPES.stage:
        case TYPES.alert:
        case TYPES.dynamicTable:
            return piped(...inSchema());
        case TYPES.procedurePython: {
            const args = ((i.arguments ?? []) as { argDataType: string }[]).map((a) => a.argDataType).join(", ");
            return `${quoted(...inSchema())}(${args})`;
        }
        case TYPES.emailIntegration:
            return i.name;
        case TYPES.grant:
            return grantId(i.accountRoleName, grantPrivileges(i), grantTarget(i));
        case TYPES.roleGrant:
            return i.parentRoleName ? `${quoted(i.roleName)}|ROLE|${quoted(i.parentRoleName)}` : `${quoted(i.roleName)}|USER|${quoted(i.userName)}`;
        case TYPES.tagAssociation:
            return `${quoted(i.tagId)}|${i.tagValue}|${i.objectType}`;
        case TYPES.branchProtection:
            return gh(i.repositoryId, i.pattern);
        case TYPES.repositoryEnvironment:
            return gh(i.repository, i.environment);
        case TYPES.deploymentPolicy: {
            const id = ctx.deploymentPolicyIds?.[`${i.environment}:${i.branchPattern}`];
            return id === undefined ? undefined : gh(i.repository, i.environment, id);
        }
        case TYPES.environmentVariable:
            return gh(i.repository, i.environment, i.variableName);
        case TYPES.environmentSecret:
            return gh(i.repository, i.environment, i.secretName);
        default:
            return undefined;
    }
}

/**
 * What identifies the object regardless of settings that may differ between the original
 * system and the program: the import ID, except for privilege grants, whose privileges are
 * compared as a property (type + target + role).
 */
export function identity(r: Pick<RecordedResource, "type" | "inputs">): string | undefined {
    if (r.type === TYPES.grant) return `${r.type}::${quoted(r.inputs.accountRoleName)}|${grantTarget(r.inputs)}`;
    if (r.type === TYPES.deploymentPolicy) return `${r.type}::${r.inputs.repository}:${r.inputs.environment}:${r.inputs.branchPattern}`;
    const id = importId(r);
    return id === undefined ? undefined : `${r.type}::${id}`;
}
