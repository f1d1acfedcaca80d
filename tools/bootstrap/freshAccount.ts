/**
 * Plays a stack's first `pulumi preview` and `pulumi up` on a fresh account that has had
 * only its bootstrap (./account.ts): are the users, roles and warehouses every Snowflake
 * provider logs in with there before the stack runs, and does every statement the stack
 * issues run with a privilege the bootstrap granted or that follows from owning the object?
 *
 * Snowflake rules this relies on, each cited where it is applied:
 * - the provider opens a session (user, role, warehouse) when it is configured, and Pulumi
 *   configures providers during preview (terraform-provider-snowflake v1.2.1
 *   pkg/sdk/client.go NewClient: sqlx.Connect, then client.Ping);
 * - reading a view or tag back queries SNOWFLAKE.INFORMATION_SCHEMA.POLICY_REFERENCES
 *   (v1.2.1 pkg/resources/view.go ReadView, pkg/resources/tag.go ReadTag), which needs the
 *   session's warehouse;
 * - the creator of an object owns it, and a role inherits what the roles granted to it own;
 * - future grants in a schema need MANAGE GRANTS, which the owner of a schema holds only
 *   when the schema has managed access (docs.snowflake.com/en/sql-reference/sql/grant-privilege,
 *   "future grants"; release note 2023_08 bcr-1397: the owner of a managed access schema holds
 *   MANAGE GRANTS on it);
 * - only ACCOUNTADMIN creates resource monitors and assigns them to warehouses
 *   (docs.snowflake.com/en/user-guide/resource-monitors; terraform-provider-snowflake#3019);
 * - a started task or an alert is resumed at creation and runs as its owner, who needs EXECUTE
 *   TASK / EXECUTE ALERT, USAGE on its warehouse and on the integrations it mails through,
 *   granted before it is created (runtimeProblems below).
 */
import { RecordedResource } from "../evaluate";
import { BootstrapAccount, effectiveRoles, holds, rolesOfUser } from "./account";

const SF = "snowflake:index/";
const T = {
    provider: "pulumi:providers:snowflake",
    database: `${SF}database:Database`,
    schema: `${SF}schema:Schema`,
    warehouse: `${SF}warehouse:Warehouse`,
    role: `${SF}accountRole:AccountRole`,
    user: `${SF}user:User`,
    serviceUser: `${SF}serviceUser:ServiceUser`,
    monitor: `${SF}resourceMonitor:ResourceMonitor`,
    grant: `${SF}grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole`,
    roleGrant: `${SF}grantAccountRole:GrantAccountRole`,
    ownership: `${SF}grantOwnership:GrantOwnership`,
    execute: `${SF}execute:Execute`,
    tagAssociation: `${SF}tagAssociation:TagAssociation`,
} as const;

/** Account-level objects the stack may create, and the account privilege each needs. */
const ACCOUNT_OBJECTS: Record<string, { kind: string; privilege: string }> = {
    [T.database]: { kind: "DATABASE", privilege: "CREATE DATABASE" },
    [T.warehouse]: { kind: "WAREHOUSE", privilege: "CREATE WAREHOUSE" },
    [`${SF}emailNotificationIntegration:EmailNotificationIntegration`]: { kind: "INTEGRATION", privilege: "CREATE INTEGRATION" },
    [`${SF}notificationIntegration:NotificationIntegration`]: { kind: "INTEGRATION", privilege: "CREATE INTEGRATION" },
    [T.role]: { kind: "ROLE", privilege: "CREATE ROLE" },
};

/** Objects in a schema, and the schema privilege a role that does not own the schema needs. */
const SCHEMA_OBJECTS: Record<string, string> = {
    [`${SF}table:Table`]: "CREATE TABLE",
    [`${SF}view:View`]: "CREATE VIEW",
    [`${SF}stage:Stage`]: "CREATE STAGE",
    [`${SF}procedurePython:ProcedurePython`]: "CREATE PROCEDURE",
    [`${SF}procedureSql:ProcedureSql`]: "CREATE PROCEDURE",
    [`${SF}task:Task`]: "CREATE TASK",
    [`${SF}alert:Alert`]: "CREATE ALERT",
    [`${SF}tag:Tag`]: "CREATE TAG",
    [`${SF}dynamicTable:DynamicTable`]: "CREATE DYNAMIC TABLE",
    [`${SF}fileFormat:FileFormat`]: "CREATE FILE FORMAT",
};

export interface FreshAccountReport {
    problems: string[];
    /** Account privileges (`PRIVILEGE` or `PRIVILEGE WITH GRANT OPTION`) the stack used, per role. */
    usedAccountPrivileges: Map<string, Set<string>>;
}

/** `"A"."B"."C"` or `A.B.C` → [A, B, C]. */
export function splitFqn(fqn: string): string[] {
    return (fqn.match(/"(?:[^"]|"")*"|[^."]+/g) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p));
}

const decode = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);

export function playFreshAccount(account: BootstrapAccount, resources: RecordedResource[]): FreshAccountReport {
    const problems: string[] = [];
    const used = new Map<string, Set<string>>();
    const use = (role: string, privilege: string) => used.set(role, new Set([...(used.get(role) ?? []), privilege]));
    const providers = new Map(resources.filter((r) => r.type === T.provider).map((p) => [p.urn, p]));
    const roleOf = (r: RecordedResource) => (r.provider ? (providers.get(r.provider)?.inputs.role as string | undefined) : undefined);
    const snowflakeResources = resources.filter((r) => r.custom && r.type.startsWith(SF));

    // Who owns what the stack creates: the role of the provider that creates it - if that role
    // may create it at all (an object whose creation is refused is owned by nobody). Account
    // objects first, then schemas in owned databases, then objects in schemas (below).
    const owner = new Map<string, string>();
    const managedSchemas = new Set<string>();
    for (const r of snowflakeResources) {
        const role = roleOf(r);
        const kind = ACCOUNT_OBJECTS[r.type];
        if (role && kind && r.inputs.name && holds(account, role, kind.privilege, "ACCOUNT")) owner.set(`${kind.kind} ${r.inputs.name}`, role);
    }
    // The stack's own role grants extend the bootstrap's hierarchy.
    const stackRoleGrants = new Map<string, Set<string>>();
    for (const g of snowflakeResources.filter((r) => r.type === T.roleGrant && r.inputs.parentRoleName)) {
        stackRoleGrants.set(g.inputs.parentRoleName, new Set([...(stackRoleGrants.get(g.inputs.parentRoleName) ?? []), g.inputs.roleName]));
    }
    const actsAs = (role: string, ownerRole: string | undefined) => ownerRole !== undefined && effectiveRoles(account, role, stackRoleGrants).has(ownerRole);
    /** `role` owns `object` (through the roles it acts as) or the bootstrap grants it `privilege` on it. */
    const heldOutsideStack = (role: string, privilege: string, object: string) => actsAs(role, owner.get(object)) || holds(account, role, privilege, object);
    for (const r of snowflakeResources.filter((x) => x.type === T.schema)) {
        const role = roleOf(r);
        const i = r.inputs;
        if (!role || !actsAs(role, owner.get(`DATABASE ${i.database}`))) continue;
        owner.set(`SCHEMA ${i.database}.${i.name}`, role);
        if (String(i.withManagedAccess) === "true") managedSchemas.add(`${i.database}.${i.name}`);
    }
    // Privileges the stack grants (to the roles that then act with them).
    const stackGrants = snowflakeResources.filter((r) => r.type === T.grant);
    /** The stack's grants that give `role` (or a role it inherits) `privilege` on what `matches` selects. */
    const stackGrantsGiving = (role: string, privilege: string, matches: (g: RecordedResource) => boolean) => {
        const roles = effectiveRoles(account, role, stackRoleGrants);
        return stackGrants.filter((g) => roles.has(g.inputs.accountRoleName) && matches(g) && (g.inputs.allPrivileges === true || (decode(g.inputs.privileges) ?? []).includes(privilege)));
    };
    const stackGrantHolds = (role: string, privilege: string, matches: (g: RecordedResource) => boolean) => stackGrantsGiving(role, privilege, matches).length > 0;
    const onAccountObject = (objectType: string, name: string) => (g: RecordedResource) => g.inputs.onAccountObject?.objectType === objectType && g.inputs.onAccountObject.objectName === name;
    const onTheAccount = (g: RecordedResource) => g.inputs.onAccount === true;
    // What each resource is created after, transitively (Node SDK @pulumi/pulumi
    // runtime/resource.js prepareResource, runtime/dependsOn.js): its dependencies (explicit
    // dependsOn and inputs taken from other resources; a dependency on a component stands for
    // every resource under it), theirs, and its parent's - a resource is registered only once
    // its parent's URN resolves, and a component's URN only once every resource the component
    // depends on has been created.
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
    const createdAfter = (r: RecordedResource): Set<string> => {
        const seen = new Set<string>();
        const parents = new Set<string>();
        const afterParent = (urn: string | undefined) => {
            if (!urn || parents.has(urn)) return;
            parents.add(urn);
            const p = byUrn.get(urn);
            for (const d of p?.dependencies ?? []) dependency(d);
            afterParent(p?.parent);
        };
        const dependency = (urn: string) => {
            if (seen.has(urn)) return;
            seen.add(urn);
            const d = byUrn.get(urn);
            for (const next of d?.dependencies ?? []) dependency(next);
            if (d && !d.custom) for (const child of children.get(urn) ?? []) dependency(child);
            afterParent(d?.parent);
        };
        for (const urn of r.dependencies) dependency(urn);
        afterParent(r.parent);
        return seen;
    };

    // 1. Every provider logs in as a user and role the bootstrap created, with its warehouse.
    const createdByStack = (type: string[], name: string) => snowflakeResources.some((r) => type.includes(r.type) && r.inputs.name === name);
    for (const p of providers.values()) {
        const { user, role, warehouse } = p.inputs;
        const who = `provider ${p.name}`;
        if (!user || !account.users.has(user)) problems.push(`${who} logs in as user ${user}, which bootstrap/${account.stack}/ does not create`);
        if (createdByStack([T.user, T.serviceUser], user)) problems.push(`${who} logs in as user ${user}, which the stack itself creates (providers are configured during preview, before it exists)`);
        if (!role || !account.roles.has(role)) problems.push(`${who} logs in as role ${role}, which bootstrap/${account.stack}/ does not create`);
        else if (user && account.users.has(user) && !rolesOfUser(account, user).has(role)) problems.push(`${who} logs in as role ${role}, which the bootstrap does not grant to user ${user}`);
        if (createdByStack([T.role], role)) problems.push(`${who} logs in as role ${role}, which the stack itself creates: Pulumi configures the provider during preview and the Snowflake provider opens a session then, before the role exists`);
        if (!warehouse) {
            problems.push(`${who} connects without a warehouse: provider v1.2.1 reads views and tags back through INFORMATION_SCHEMA.POLICY_REFERENCES, which needs one ("No active warehouse selected")`);
        } else {
            if (!account.warehouses.has(warehouse)) problems.push(`${who} connects with warehouse ${warehouse}, which bootstrap/${account.stack}/ does not create`);
            if (createdByStack([T.warehouse], warehouse)) problems.push(`${who} connects with warehouse ${warehouse}, which the stack itself creates (it does not exist at the first preview)`);
            else if (role && !holds(account, role, "USAGE", `WAREHOUSE ${warehouse}`)) problems.push(`${who}: role ${role} has no USAGE on warehouse ${warehouse} from the bootstrap`);
        }
    }

    // 2. The stack creates nothing the bootstrap creates (a second CREATE would fail).
    for (const r of snowflakeResources) {
        const name = r.inputs.name;
        if (r.type === T.role && account.roles.has(name)) problems.push(`${r.name}: the stack creates role ${name}, which the bootstrap already creates`);
        if (r.type === T.warehouse && account.warehouses.has(name)) problems.push(`${r.name}: the stack creates warehouse ${name}, which the bootstrap already creates`);
        if ((r.type === T.user || r.type === T.serviceUser) && account.users.has(name)) problems.push(`${r.name}: the stack creates user ${name}, which the bootstrap already creates`);
    }

    // 3. Every statement of the stack runs with a privilege it holds.
    for (const r of snowflakeResources) {
        const role = roleOf(r);
        const what = `${r.name} (${r.type.split(":").pop()})`;
        if (!role) {
            problems.push(`${what} uses the default provider (configured from the environment, not by the stack)`);
            continue;
        }
        const i = r.inputs;
        const accountObject = ACCOUNT_OBJECTS[r.type];
        if (accountObject) {
            if (holds(account, role, accountObject.privilege, "ACCOUNT")) use(role, accountObject.privilege);
            else problems.push(`${what}: role ${role} creates a ${accountObject.kind.toLowerCase()} without ${accountObject.privilege} ON ACCOUNT from the bootstrap`);
            continue;
        }
        if (r.type === T.monitor) {
            problems.push(`${what}: only ACCOUNTADMIN creates resource monitors; they belong to the bootstrap (bootstrap/${account.stack}/05_resource_monitor.sql), not to the stack`);
            continue;
        }
        if (r.type === T.schema) {
            if (!actsAs(role, owner.get(`DATABASE ${i.database}`))) problems.push(`${what}: role ${role} creates a schema in ${i.database}, which it does not own`);
            continue;
        }
        const createPrivilege = SCHEMA_OBJECTS[r.type];
        if (createPrivilege) {
            const schema = `${i.database}.${i.schema}`;
            const ownsSchema = actsAs(role, owner.get(`SCHEMA ${schema}`));
            const granted = stackGrantHolds(role, createPrivilege, (g) => g.inputs.onSchema && splitFqn(g.inputs.onSchema.schemaName ?? "").join(".") === schema);
            if (ownsSchema || granted) owner.set(`OBJECT ${schema}.${i.name}`, role);
            else problems.push(`${what}: role ${role} needs ${createPrivilege} on schema ${schema} (it does not own it and the stack grants no such privilege)`);
            if (i.warehouse) {
                const w = i.warehouse as string;
                const usable = heldOutsideStack(role, "USAGE", `WAREHOUSE ${w}`) || stackGrantHolds(role, "USAGE", onAccountObject("WAREHOUSE", w));
                if (!usable) problems.push(`${what}: role ${role} has no USAGE on warehouse ${w}`);
            }
            // SNOWFLAKE.ALERT.SCHEDULED_TIME() and LAST_SUCCESSFUL_SCHEDULED_TIME() need the
            // SNOWFLAKE database role ALERT_VIEWER (docs.snowflake.com/en/sql-reference/functions/
            // scheduled_time, "Usage notes"); an alert runs as its owner, without it every check fails.
            if (r.type === `${SF}alert:Alert` && /SNOWFLAKE\.ALERT\./i.test(`${i.condition} ${i.action}`)) {
                const viewer = [...effectiveRoles(account, role, stackRoleGrants)].some((x) => account.databaseRoleGrants.get(x)?.has("SNOWFLAKE.ALERT_VIEWER"));
                if (!viewer) problems.push(`${what}: calls SNOWFLAKE.ALERT functions, but its owner ${role} is not granted the database role SNOWFLAKE.ALERT_VIEWER by the bootstrap`);
            }
            problems.push(...runtimeProblems(r, role, what));
            continue;
        }
        if (r.type === T.grant) {
            problems.push(...grantProblems(r, role));
            continue;
        }
        if (r.type === T.roleGrant) {
            if (!actsAs(role, owner.get(`ROLE ${i.roleName}`))) problems.push(`${what}: role ${role} grants role ${i.roleName}, which it does not own (only its owner or MANAGE GRANTS may)`);
            continue;
        }
        if (r.type === T.tagAssociation) {
            const [db, schema, tag] = splitFqn(i.tagId);
            if (!actsAs(role, owner.get(`OBJECT ${db}.${schema}.${tag}`))) problems.push(`${what}: role ${role} sets tag ${i.tagId}, which it does not own`);
            continue;
        }
        if (r.type === T.execute && /RESOURCE_MONITOR/i.test(String(i.execute))) {
            problems.push(`${what}: only ACCOUNTADMIN assigns resource monitors; the attachment belongs to the bootstrap (bootstrap/${account.stack}/05_resource_monitor.sql)`);
            continue;
        }
        problems.push(`${what}: tools/bootstrap/freshAccount.ts does not model the privileges of ${r.type}; add it there`);
    }
    return { problems, usedAccountPrivileges: used };

    /**
     * What Snowflake checks when a task or an alert is resumed and run, and whether the stack's
     * grants that give it come first. A task or alert runs as its owner, the role that created
     * it. Provider v1.2.1 resumes a task right after CREATE when `started` is true
     * (pkg/resources/task.go CreateTask: ALTER TASK ... RESUME), and an alert when `enabled` is
     * true (pkg/resources/alert.go CreateAlert: ALTER ALERT ... RESUME, a failure of which is only
     * a warning: the alert stays suspended). Resuming or running a task needs EXECUTE TASK on
     * the account (docs.snowflake.com/en/user-guide/tasks-intro, "Task security"); creating an
     * alert already needs EXECUTE ALERT on the account and USAGE on its warehouse
     * (docs.snowflake.com/en/user-guide/alerts, "Granting the privileges to create alerts"), so
     * every alert is checked, enabled or not; SYSTEM$SEND_EMAIL in the action needs USAGE on the
     * notification integration (docs.snowflake.com/en/sql-reference/stored-procedures/system_send_email).
     * A privilege only a stack grant gives must be a dependency of the resource: otherwise
     * Pulumi may run both at once and the first `pulumi up` fails (or leaves the alert suspended).
     */
    function runtimeProblems(r: RecordedResource, role: string, what: string): string[] {
        const i = r.inputs;
        const isTask = r.type === `${SF}task:Task`;
        if (!(isTask && String(i.started) === "true") && r.type !== `${SF}alert:Alert`) return [];
        const out: string[] = [];
        const after = createdAfter(r);
        // `reportMissing` false: a privilege nobody grants is reported elsewhere; only the order here.
        const needs = (privilege: string, on: string, matches: (g: RecordedResource) => boolean, reportMissing = true) => {
            if (heldOutsideStack(role, privilege, on)) return;
            const grants = stackGrantsGiving(role, privilege, matches);
            if (grants.length === 0) {
                if (reportMissing) out.push(`${what}: its owner ${role} lacks ${privilege} on ${on} (neither the bootstrap nor the stack grants it)`);
            } else if (!grants.some((g) => after.has(g.urn))) {
                out.push(`${what}: does not depend on ${grants.map((g) => g.name).join(" or ")}, which gives its owner ${role} ${privilege} on ${on}: Pulumi may create both at once`);
            }
        };
        needs(isTask ? "EXECUTE TASK" : "EXECUTE ALERT", "ACCOUNT", onTheAccount);
        if (i.warehouse) needs("USAGE", `WAREHOUSE ${i.warehouse}`, onAccountObject("WAREHOUSE", i.warehouse as string), false);
        for (const m of String(i.action ?? "").matchAll(/SYSTEM\$SEND_EMAIL\s*\(\s*'((?:[^'\\]|\\.|'')*)'/gi)) {
            const integration = m[1].replace(/''/g, "'").replace(/\\(.)/g, "$1");
            needs("USAGE", `INTEGRATION ${integration}`, onAccountObject("INTEGRATION", integration));
        }
        return out;
    }

    function grantProblems(g: RecordedResource, role: string): string[] {
        const i = g.inputs;
        const what = `${g.name} (grant to ${i.accountRoleName})`;
        const out: string[] = [];
        const privileges: string[] = i.allPrivileges === true ? ["ALL"] : (decode(i.privileges) ?? []);
        if (!account.roles.has(i.accountRoleName) && !owner.has(`ROLE ${i.accountRoleName}`)) out.push(`${what}: role ${i.accountRoleName} exists neither in the bootstrap nor in the stack`);
        if (i.onAccount === true) {
            for (const p of privileges) {
                if (holds(account, role, p, "ACCOUNT", true)) use(role, `${p} WITH GRANT OPTION`);
                else out.push(`${what}: role ${role} grants ${p} ON ACCOUNT without holding it WITH GRANT OPTION from the bootstrap`);
            }
            return out;
        }
        if (i.onAccountObject) {
            const key = `${i.onAccountObject.objectType} ${i.onAccountObject.objectName}`;
            if (!actsAs(role, owner.get(key))) out.push(`${what}: role ${role} grants on ${key}, which it does not own`);
            return out;
        }
        if (i.onSchema) {
            if (i.onSchema.schemaName) {
                const schema = splitFqn(i.onSchema.schemaName).join(".");
                if (!actsAs(role, owner.get(`SCHEMA ${schema}`))) out.push(`${what}: role ${role} grants on schema ${schema}, which it does not own`);
            } else {
                out.push(`${what}: grants on all or future schemas of a database need MANAGE GRANTS`);
            }
            return out;
        }
        const o = i.onSchemaObject ?? {};
        if (o.future?.inDatabase || o.all?.inDatabase) return [...out, `${what}: database-wide object grants need MANAGE GRANTS; grant per schema`];
        const inSchema = o.future?.inSchema ?? o.all?.inSchema;
        if (inSchema) {
            const schema = splitFqn(inSchema).join(".");
            if (!actsAs(role, owner.get(`SCHEMA ${schema}`))) out.push(`${what}: role ${role} grants on objects of schema ${schema}, which it does not own`);
            else if (o.future && !managedSchemas.has(schema)) {
                out.push(`${what}: FUTURE ${o.future.objectTypePlural} in schema ${schema} need MANAGE GRANTS: the schema's owner may define future grants only in a managed access schema`);
            }
            return out;
        }
        if (o.objectName) {
            const parts = splitFqn(String(o.objectName).replace(/\(.*$/, ""));
            const objectOwner = owner.get(`OBJECT ${parts.join(".")}`);
            const schema = parts.slice(0, 2).join(".");
            if (!actsAs(role, objectOwner) && !(managedSchemas.has(schema) && actsAs(role, owner.get(`SCHEMA ${schema}`)))) {
                out.push(`${what}: role ${role} grants on ${o.objectType} ${o.objectName}, which it does not own`);
            }
            return out;
        }
        return [...out, `${what}: grant form not modelled by tools/bootstrap/freshAccount.ts`];
    }
}
