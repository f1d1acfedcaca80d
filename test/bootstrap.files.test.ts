/**
 * The administrator's bootstrap (bootstrap/<stack>/*.sql): rendered from the templates and
 * the stack files (one source of truth), idempotent, and safe (issue #10): no CI identity
 * holds ACCOUNTADMIN, SECURITYADMIN or SYSADMIN, every service user sets
 * DEFAULT_SECONDARY_ROLES = (), the preview role can change nothing, the monitor carries the
 * stack's quota and recipients. test/sql parses the same files with sqlglot.
 */
import * as fs from "fs";
import * as path from "path";
import { modelAccount, readBootstrap, rolesOfUser, splitStatements } from "../tools/bootstrap/account";
import { BOOTSTRAP_DIR, renderStack, renderTemplate, templateFiles } from "../tools/bootstrap/render";
import { REPO_ROOT } from "../tools/stackConfig";
import { STACKS, stackValue } from "./support/stacks";

const ADMIN_ROLES = ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", "ORGADMIN"];

describe.each(STACKS)("bootstrap/%s/", (stack) => {
    const env = stack.toUpperCase();
    const account = readBootstrap(stack);
    const deployRole = stackValue(stack, "snowflakeDeployRole");
    const previewRole = stackValue(stack, "snowflakePreviewRole");
    const ciUsers = [stackValue(stack, "snowflakeDeployUser"), stackValue(stack, "snowflakePreviewUser")];

    test("is what `npm run bootstrap:sql` renders from bootstrap/templates and Pulumi.<stack>.yaml", () => {
        const rendered = renderStack(stack);
        const onDisk = fs.readdirSync(path.join(BOOTSTRAP_DIR, stack)).filter((f) => f.endsWith(".sql"));
        expect(onDisk.sort()).toEqual(templateFiles());
        for (const [file, sql] of Object.entries(rendered)) expect({ file, sql: fs.readFileSync(path.join(BOOTSTRAP_DIR, stack, file), "utf8") }).toEqual({ file, sql });
    });

    test("is idempotent: CREATE ... IF NOT EXISTS, nothing replaced or dropped", () => {
        for (const s of account.statements) {
            if (/^CREATE /i.test(s.sql)) expect({ file: s.file, sql: s.sql }).toEqual({ file: s.file, sql: expect.stringMatching(/^CREATE (ROLE|USER|WAREHOUSE|RESOURCE MONITOR) IF NOT EXISTS /) });
            expect(s.sql).not.toMatch(/OR REPLACE|^DROP |^REVOKE /i);
        }
    });

    test("creates the stack's identities and connection warehouse, and only this environment's", () => {
        expect([...account.users.keys()].sort()).toEqual([...ciUsers].sort());
        expect([...account.roles.keys()].filter((r) => !ADMIN_ROLES.includes(r) && r !== "PUBLIC").sort()).toEqual([`ML_${env}_ROLE`, deployRole, previewRole].sort());
        expect([...account.warehouses.keys()]).toEqual([stackValue(stack, "snowflakeConnectionWarehouse")]);
        for (const s of account.statements) for (const other of STACKS.filter((x) => x !== stack)) expect(s.sql).not.toMatch(new RegExp(`(^|[^A-Z])${other.toUpperCase()}_`));
    });

    test("no CI user or role holds, directly or through another role, an administrator role or MANAGE GRANTS", () => {
        for (const user of ciUsers) expect([...rolesOfUser(account, user)].filter((r) => ADMIN_ROLES.includes(r))).toEqual([]);
        const ciRoles = new Set(ciUsers.flatMap((u) => [...rolesOfUser(account, u)]));
        expect(account.privilegeGrants.filter((g) => ciRoles.has(g.toRole) && g.privileges.some((p) => /MANAGE GRANTS|CREATE (ROLE|USER)|^OWNERSHIP$/.test(p)))).toEqual([]);
        // The other direction is intended: SYSADMIN sees what the environment's roles own.
        expect([...(account.roleGrantsToRole.get("SYSADMIN") ?? [])].sort()).toEqual([deployRole, previewRole].sort());
    });

    test("every service user is TYPE = SERVICE with DEFAULT_SECONDARY_ROLES = (), its own default role, the connection warehouse, and no password", () => {
        for (const s of account.statements.filter((x) => /^(CREATE|ALTER) USER/.test(x.sql))) {
            expect(s.sql).toMatch(/ TYPE = SERVICE /);
            expect(s.sql).toMatch(/ DEFAULT_SECONDARY_ROLES = \(\)/);
            expect(s.sql).not.toMatch(/PASSWORD/);
        }
        for (const user of ciUsers) {
            expect(account.users.get(user)!.properties).toMatchObject({ TYPE: "SERVICE", DEFAULT_SECONDARY_ROLES: "()", DEFAULT_WAREHOUSE: stackValue(stack, "snowflakeConnectionWarehouse") });
            expect(account.roleGrantsToUser.get(user)).toEqual(new Set([account.users.get(user)!.properties.DEFAULT_ROLE]));
        }
    });

    test("the connection warehouse is XSMALL, suspends after 60 s, and the deploy, preview and ML roles may use it", () => {
        const w = account.warehouses.get(stackValue(stack, "snowflakeConnectionWarehouse"))!;
        expect(w.properties).toMatchObject({ WAREHOUSE_SIZE: "XSMALL", AUTO_SUSPEND: "60", AUTO_RESUME: "TRUE", INITIALLY_SUSPENDED: "TRUE" });
        const users = account.privilegeGrants.filter((g) => g.on === `WAREHOUSE ${w.name}` && g.privileges.includes("USAGE")).map((g) => g.toRole);
        expect(users.sort()).toEqual([`ML_${env}_ROLE`, deployRole, previewRole].sort());
    });

    test("the preview role can log in, use the connection warehouse and see the monitor, and nothing else", () => {
        expect(account.privilegeGrants.filter((g) => g.toRole === previewRole).map((g) => `${g.privileges.join(",")} on ${g.on}`)).toEqual([
            `USAGE on WAREHOUSE ${stackValue(stack, "snowflakeConnectionWarehouse")}`,
            `MONITOR on RESOURCE MONITOR ${env}_ML_MONITOR`,
        ]);
        expect(account.roleGrantsToRole.get(previewRole)).toBeUndefined();
    });

    test("the resource monitor carries the stack's quota and recipients, notifies, suspends outside prd, and caps both warehouses", () => {
        const m = account.monitors.get(`${env}_ML_MONITOR`)!;
        expect(m.owner).toBe("ACCOUNTADMIN");
        expect(m.properties).toMatchObject({
            CREDIT_QUOTA: stackValue(stack, "monthlyCreditQuota"),
            FREQUENCY: "MONTHLY",
            NOTIFY_USERS: `(${JSON.parse(stackValue(stack, "monitorNotifyUsers")).join(", ")})`,
            TRIGGERS: env === "PRD" ? "ON 75 PERCENT DO NOTIFY ON 90 PERCENT DO NOTIFY ON 100 PERCENT DO NOTIFY" : "ON 75 PERCENT DO NOTIFY ON 90 PERCENT DO NOTIFY ON 100 PERCENT DO SUSPEND",
        });
        expect(Object.fromEntries(account.monitorAssignments)).toEqual({ [stackValue(stack, "snowflakeConnectionWarehouse")]: m.name, [stackValue(stack, "warehouseName")]: m.name, [`${env}_WH_ALERTS`]: m.name });
    });
});

describe("bootstrap templates and docs", () => {
    test("an unknown placeholder is an error, never left in the SQL", () => {
        expect(() => renderTemplate("CREATE ROLE IF NOT EXISTS {{DEPLOY_ROLE}}; {{TYPO}}", { DEPLOY_ROLE: "R" }, "x.sql")).toThrow("bootstrap/templates/x.sql: unknown placeholder {{TYPO}}; known: DEPLOY_ROLE");
    });

    test("the reader splits on semicolons outside quotes and comments, and refuses statements it cannot model", () => {
        expect(splitStatements("USE ROLE X; -- a; b\nCREATE ROLE IF NOT EXISTS Y COMMENT = 'a;b';")).toEqual(["USE ROLE X", "CREATE ROLE IF NOT EXISTS Y COMMENT = 'a;b'"]);
        expect(() => modelAccount("dev", [{ file: "f.sql", role: "SYSADMIN", sql: "GRANT ALL ON DATABASE X TO ROLE PUBLIC" }])).toThrow(
            "f.sql: statement not understood by tools/bootstrap/account.ts",
        );
        expect(() => modelAccount("dev", [{ file: "f.sql", role: "USERADMIN", sql: "GRANT ROLE NOPE TO ROLE SYSADMIN" }])).toThrow("f.sql: role NOPE does not exist here");
    });

    test("no bootstrap file or doc grants an administrator role to anyone", () => {
        const files = [
            ...fs.readdirSync(path.join(REPO_ROOT, "docs")).map((f) => path.join("docs", f)),
            "README.md",
            ...STACKS.flatMap((s) => fs.readdirSync(path.join(BOOTSTRAP_DIR, s)).map((f) => path.join("bootstrap", s, f))),
            ...templateFiles().map((f) => path.join("bootstrap", "templates", f)),
        ];
        const offending = files.flatMap((f) =>
            (fs.readFileSync(path.join(REPO_ROOT, f), "utf8").match(new RegExp(`GRANT\\s+ROLE\\s+"?(${ADMIN_ROLES.join("|")})"?\\s+TO\\s+(USER|ROLE)\\s+\\S+`, "gi")) ?? []).map((m) => `${f}: ${m}`),
        );
        expect(offending).toEqual([]);
    });
});
