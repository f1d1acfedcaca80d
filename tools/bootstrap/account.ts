/**
 * What an account holds after an administrator has run a stack's bootstrap files
 * (`bootstrap/<stack>/*.sql`, in file order) on a fresh account: roles, users, warehouses,
 * resource monitors, role grants and privilege grants, each with the role that created it.
 *
 * The reader understands exactly the statement forms the bootstrap uses and throws on any
 * other, so a statement it cannot model is never silently ignored. test/sql parses the same
 * files with sqlglot's Snowflake dialect; this model is what the fresh-account check
 * (./freshAccount.ts) and the mocks of tools/evaluate.ts (the monitor the program checks) use.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../stackConfig";

export interface BootstrapStatement {
    file: string;
    /** The role active when the statement runs (USE ROLE). */
    role: string | undefined;
    sql: string;
}

export interface PrivilegeGrant {
    privileges: string[];
    /** `ACCOUNT`, or `WAREHOUSE NAME`, `RESOURCE MONITOR NAME`. */
    on: string;
    toRole: string;
    grantOption: boolean;
    file: string;
}

export interface AccountObject {
    name: string;
    /** Role that created (and so owns) it. */
    owner: string | undefined;
    properties: Record<string, string>;
    file: string;
}

export interface BootstrapAccount {
    stack: string;
    statements: BootstrapStatement[];
    roles: Map<string, AccountObject>;
    users: Map<string, AccountObject>;
    warehouses: Map<string, AccountObject>;
    monitors: Map<string, AccountObject>;
    /** Role → roles granted to it (its children in the hierarchy). */
    roleGrantsToRole: Map<string, Set<string>>;
    /** User → roles granted to it. */
    roleGrantsToUser: Map<string, Set<string>>;
    privilegeGrants: PrivilegeGrant[];
    /** Warehouse → monitor assigned by an ALTER WAREHOUSE (IF EXISTS applies only once it exists). */
    monitorAssignments: Map<string, string>;
    /** Account role → database roles of the SNOWFLAKE database granted to it (e.g. SNOWFLAKE.ALERT_VIEWER). */
    databaseRoleGrants: Map<string, Set<string>>;
}

/** Roles that exist in every account (Snowflake's system-defined roles). */
export const SYSTEM_ROLES = ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", "ORGADMIN", "PUBLIC"];

/** Statements of a file: comments dropped, split on semicolons outside quotes. */
export function splitStatements(sql: string): string[] {
    const out: string[] = [];
    let current = "";
    let quote: string | undefined;
    for (let i = 0; i < sql.length; i++) {
        const c = sql[i];
        if (quote) {
            current += c;
            if (c === quote) quote = undefined;
        } else if (c === "'" || c === '"') {
            quote = c;
            current += c;
        } else if (c === "-" && sql[i + 1] === "-") {
            while (i < sql.length && sql[i] !== "\n") i++;
            current += "\n";
        } else if (c === ";") {
            if (current.trim()) out.push(current.trim());
            current = "";
        } else {
            current += c;
        }
    }
    if (current.trim()) out.push(current.trim());
    return out.map((s) => s.replace(/\s+/g, " "));
}

/** `KEY = value` pairs: value a quoted string, a parenthesised list or a word. */
export function parseProperties(text: string): Record<string, string> {
    const props: Record<string, string> = {};
    const re = /([A-Z_]+)\s*=\s*('(?:[^']|'')*'|\([^)]*\)|[A-Za-z0-9_$]+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) props[m[1]] = m[2].startsWith("'") ? m[2].slice(1, -1) : m[2];
    return props;
}

const ID = "([A-Za-z_][A-Za-z0-9_$]*)";

export function readBootstrap(stack: string, root = REPO_ROOT): BootstrapAccount {
    const dir = path.join(root, "bootstrap", stack);
    if (!fs.existsSync(dir)) throw new Error(`bootstrap/${stack}/ does not exist: render it with \`npm run bootstrap:sql\``);
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort();
    const statements: BootstrapStatement[] = [];
    for (const file of files) {
        let role: string | undefined;
        for (const sql of splitStatements(fs.readFileSync(path.join(dir, file), "utf8"))) {
            const use = new RegExp(`^USE ROLE ${ID}$`, "i").exec(sql);
            if (use) role = use[1].toUpperCase();
            statements.push({ file: `bootstrap/${stack}/${file}`, role, sql });
        }
    }
    return modelAccount(stack, statements);
}

export function modelAccount(stack: string, statements: BootstrapStatement[]): BootstrapAccount {
    const account: BootstrapAccount = {
        stack,
        statements,
        roles: new Map(SYSTEM_ROLES.map((r) => [r, { name: r, owner: undefined, properties: {}, file: "(system role)" }])),
        users: new Map(),
        warehouses: new Map(),
        monitors: new Map(),
        roleGrantsToRole: new Map(),
        roleGrantsToUser: new Map(),
        privilegeGrants: [],
        monitorAssignments: new Map(),
        databaseRoleGrants: new Map(),
    };
    const add = (map: Map<string, Set<string>>, key: string, value: string) => map.set(key, new Set([...(map.get(key) ?? []), value]));
    const create = (map: Map<string, AccountObject>, s: BootstrapStatement, name: string, props: string) => {
        if (!map.has(name)) map.set(name, { name, owner: s.role, properties: parseProperties(props), file: s.file });
    };
    for (const s of statements) {
        const sql = s.sql;
        let m: RegExpExecArray | null;
        const fail = (why: string) => new Error(`${s.file}: ${why}: ${sql.slice(0, 120)}`);
        if (/^USE ROLE /i.test(sql)) continue;
        if ((m = new RegExp(`^CREATE ROLE IF NOT EXISTS ${ID}(.*)$`).exec(sql))) create(account.roles, s, m[1], m[2]);
        else if ((m = new RegExp(`^CREATE USER IF NOT EXISTS ${ID}(.*)$`).exec(sql))) create(account.users, s, m[1], m[2]);
        else if ((m = new RegExp(`^CREATE WAREHOUSE IF NOT EXISTS ${ID}(.*)$`).exec(sql))) create(account.warehouses, s, m[1], m[2]);
        else if ((m = new RegExp(`^CREATE RESOURCE MONITOR IF NOT EXISTS ${ID} WITH (.*?)( TRIGGERS (.*))?$`).exec(sql))) {
            create(account.monitors, s, m[1], m[2]);
            if (m[4]) account.monitors.get(m[1])!.properties.TRIGGERS = m[4];
        } else if ((m = new RegExp(`^ALTER RESOURCE MONITOR ${ID} SET (.*?)( TRIGGERS (.*))?$`).exec(sql))) {
            const monitor = account.monitors.get(m[1]);
            if (!monitor) throw fail(`resource monitor ${m[1]} is altered before it is created`);
            Object.assign(monitor.properties, parseProperties(m[2]), m[4] ? { TRIGGERS: m[4] } : {});
        } else if ((m = new RegExp(`^ALTER USER IF EXISTS ${ID} SET (.*)$`).exec(sql))) {
            const user = account.users.get(m[1]);
            if (user) Object.assign(user.properties, parseProperties(m[2]));
        } else if ((m = new RegExp(`^ALTER WAREHOUSE (IF EXISTS )?${ID} SET (.*)$`).exec(sql))) {
            const props = parseProperties(m[3]);
            const warehouse = account.warehouses.get(m[2]);
            if (props.RESOURCE_MONITOR !== undefined) {
                if (!account.monitors.has(props.RESOURCE_MONITOR)) throw fail(`resource monitor ${props.RESOURCE_MONITOR} does not exist here`);
                account.monitorAssignments.set(m[2], props.RESOURCE_MONITOR);
            }
            if (warehouse) Object.assign(warehouse.properties, props);
            else if (!m[1]) throw fail(`warehouse ${m[2]} does not exist here (use IF EXISTS for a warehouse the stack creates)`);
        } else if ((m = new RegExp(`^GRANT ROLE ${ID} TO (ROLE|USER) ${ID}$`).exec(sql))) {
            if (!account.roles.has(m[1])) throw fail(`role ${m[1]} does not exist here`);
            if (m[2] === "ROLE") {
                if (!account.roles.has(m[3])) throw fail(`role ${m[3]} does not exist here`);
                add(account.roleGrantsToRole, m[3], m[1]);
            } else {
                if (!account.users.has(m[3])) throw fail(`user ${m[3]} does not exist here`);
                add(account.roleGrantsToUser, m[3], m[1]);
            }
        } else if ((m = new RegExp(`^GRANT DATABASE ROLE (SNOWFLAKE\\.${ID}) TO ROLE ${ID}$`).exec(sql))) {
            // Only the SNOWFLAKE database's own roles: they exist in every account.
            if (!account.roles.has(m[3])) throw fail(`role ${m[3]} does not exist here`);
            add(account.databaseRoleGrants, m[3], m[1]);
        } else if ((m = new RegExp(`^GRANT ([A-Z ,]+?) ON (ACCOUNT|WAREHOUSE ${ID}|RESOURCE MONITOR ${ID}) TO ROLE ${ID}( WITH GRANT OPTION)?$`).exec(sql))) {
            if (!account.roles.has(m[5])) throw fail(`role ${m[5]} does not exist here`);
            if (m[3] && !account.warehouses.has(m[3])) throw fail(`warehouse ${m[3]} does not exist here`);
            if (m[4] && !account.monitors.has(m[4])) throw fail(`resource monitor ${m[4]} does not exist here`);
            account.privilegeGrants.push({ privileges: m[1].split(",").map((p) => p.trim()), on: m[2], toRole: m[5], grantOption: Boolean(m[6]), file: s.file });
        } else {
            throw fail("statement not understood by tools/bootstrap/account.ts (add its form there, or use one it knows)");
        }
    }
    return account;
}

/** The role and every role it inherits (roles granted to it, transitively). */
export function effectiveRoles(account: BootstrapAccount, role: string, extraGrants: Map<string, Set<string>> = new Map()): Set<string> {
    const seen = new Set<string>();
    const visit = (r: string) => {
        if (seen.has(r)) return;
        seen.add(r);
        for (const child of [...(account.roleGrantsToRole.get(r) ?? []), ...(extraGrants.get(r) ?? [])]) visit(child);
    };
    visit(role);
    return seen;
}

/** Roles a user may activate: those granted to it and everything they inherit. */
export function rolesOfUser(account: BootstrapAccount, user: string): Set<string> {
    const out = new Set<string>();
    for (const r of account.roleGrantsToUser.get(user) ?? []) for (const e of effectiveRoles(account, r)) out.add(e);
    return out;
}

/** Does `role` (or a role it inherits) hold `privilege` on `on`? */
export function holds(account: BootstrapAccount, role: string, privilege: string, on: string, withGrantOption = false): boolean {
    const roles = effectiveRoles(account, role);
    return account.privilegeGrants.some((g) => roles.has(g.toRole) && g.on === on && g.privileges.includes(privilege) && (!withGrantOption || g.grantOption));
}
