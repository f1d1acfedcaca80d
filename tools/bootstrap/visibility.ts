/**
 * Could role R see object O? A model of what `SHOW <objects> LIKE` / `DESCRIBE` return to a
 * role, which is what terraform-provider-snowflake v1.2.1 reads back (pkg/resources/*.go: an
 * object the SHOW does not list is "marked as removed", e.g. view.go ReadView). Snowflake docs,
 * SHOW <objects>: the output lists only objects on which the role holds some privilege, and
 * a schema object is reachable only with USAGE on its database and schema.
 *
 * Modelled per type (everything else is "not readable" by a role that neither owns it nor
 * holds MANAGE GRANTS, which is how the preview role stands):
 * - Database, Warehouse: any privilege on the object.
 * - Schema: USAGE on its database and any privilege on the schema.
 * - Table, View: USAGE on database and schema, and a privilege on the object, here from an
 *   ALL or FUTURE grant on TABLES / VIEWS in the schema (the stack's objects wait for the
 *   schema's FUTURE grants, test/platform.storage.test.ts, so one of the two covers each).
 * - Grants: SHOW GRANTS ON <object> / SHOW FUTURE GRANTS IN SCHEMA need OWNERSHIP of the
 *   object or MANAGE GRANTS (Snowflake docs, SHOW GRANTS).
 */
import { RecordedResource } from "../evaluate";
import { BootstrapAccount, effectiveRoles, holds } from "./account";

const q = (s: string) => `"${s}"`;

interface StackGrant {
    role: string;
    privileges: string[];
    on: string;
}

/** The stack's GrantPrivilegesToAccountRole resources as `(role, privileges, on)`. */
function stackGrants(resources: RecordedResource[]): StackGrant[] {
    return resources
        .filter((r) => r.type === "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole")
        .map((r) => {
            const i = r.inputs;
            const privileges: string[] = i.allPrivileges ? ["ALL"] : (i.privileges ?? []);
            let on = "?";
            if (i.onAccount) on = "ACCOUNT";
            else if (i.onAccountObject) on = `${i.onAccountObject.objectType} ${i.onAccountObject.objectName}`;
            else if (i.onSchema) on = `SCHEMA ${i.onSchema.schemaName}`;
            else if (i.onSchemaObject?.all) on = `ALL ${i.onSchemaObject.all.objectTypePlural} IN ${i.onSchemaObject.all.inSchema}`;
            else if (i.onSchemaObject?.future) on = `FUTURE ${i.onSchemaObject.future.objectTypePlural} IN ${i.onSchemaObject.future.inSchema}`;
            else if (i.onSchemaObject) on = `${i.onSchemaObject.objectType} ${i.onSchemaObject.objectName}`;
            return { role: i.accountRoleName, privileges, on };
        });
}

/** Privileges `role` (or a role it inherits) holds on `on`, from the bootstrap and the stack. */
export function privilegesOn(account: BootstrapAccount, resources: RecordedResource[], role: string, on: string): string[] {
    const roles = effectiveRoles(account, role);
    const fromBootstrap = account.privilegeGrants.filter((g) => roles.has(g.toRole) && g.on === on).flatMap((g) => g.privileges);
    const fromStack = stackGrants(resources).filter((g) => roles.has(g.role) && g.on === on).flatMap((g) => g.privileges);
    return [...fromBootstrap, ...fromStack];
}

/** The stack's grants to `role` (to check that none of them changes anything). */
export function stackGrantsTo(resources: RecordedResource[], role: string): StackGrant[] {
    return stackGrants(resources).filter((g) => g.role === role);
}

const PLURAL: Record<string, string> = { "snowflake:index/table:Table": "TABLES", "snowflake:index/view:View": "VIEWS" };

/** Could `role` read back the stack's resource `r` (SHOW ... LIKE finds it)? */
export function canSee(account: BootstrapAccount, resources: RecordedResource[], role: string, r: RecordedResource): boolean {
    const has = (on: string) => privilegesOn(account, resources, role, on).length > 0;
    const usage = (on: string) => privilegesOn(account, resources, role, on).some((p) => p === "USAGE" || p === "ALL");
    const i = r.inputs;
    switch (r.type) {
        case "snowflake:index/database:Database":
            return has(`DATABASE ${i.name}`);
        case "snowflake:index/warehouse:Warehouse":
            return has(`WAREHOUSE ${i.name}`);
        case "snowflake:index/schema:Schema":
            return usage(`DATABASE ${i.database}`) && has(`SCHEMA ${q(i.database)}.${q(i.name)}`);
        case "snowflake:index/table:Table":
        case "snowflake:index/view:View": {
            const schema = `${q(i.database)}.${q(i.schema)}`;
            const plural = PLURAL[r.type];
            return usage(`DATABASE ${i.database}`) && usage(`SCHEMA ${schema}`) && (has(`ALL ${plural} IN ${schema}`) || has(`FUTURE ${plural} IN ${schema}`));
        }
        default:
            // Grants, procedures, stages, tasks, alerts, integrations, tags, tag associations: the
            // role would need OWNERSHIP, MANAGE GRANTS or a privilege the stack never gives it.
            return holds(account, role, "MANAGE GRANTS", "ACCOUNT");
    }
}
