/**
 * ML_{ENV}_ROLE and its grants (SPEC §4): read-only raw data, full use of the ML schemas
 * outside production and least privilege in production, EXECUTE TASK. The role itself, and
 * its grant to the deploy role, come from the bootstrap. Nothing is ever granted to
 * ACCOUNTADMIN, ORGADMIN or PUBLIC, and no CI identity holds an administrator role.
 */
import { readBootstrap, rolesOfUser } from "../tools/bootstrap/account";
import { RecordedResource } from "../tools/evaluate";
import { evaluated, ofType, STACKS, T } from "./support/stacks";

/** One line per grant: `PRIVILEGES on TARGET`, to compare whole grant sets exactly. */
function describeGrant(g: RecordedResource): string {
    const i = g.inputs;
    const privileges = i.allPrivileges ? "ALL" : [...i.privileges].join(",");
    if (i.onAccount) return `${privileges} on ACCOUNT`;
    if (i.onAccountObject) return `${privileges} on ${i.onAccountObject.objectType} ${i.onAccountObject.objectName}`;
    if (i.onSchema) return `${privileges} on SCHEMA ${i.onSchema.schemaName}`;
    const o = i.onSchemaObject;
    if (o.all) return `${privileges} on ALL ${o.all.objectTypePlural} IN ${o.all.inSchema}`;
    if (o.future) return `${privileges} on FUTURE ${o.future.objectTypePlural} IN ${o.future.inSchema}`;
    return `${privileges} on ${o.objectType} ${o.objectName}`;
}

const grantsTo = (grants: RecordedResource[], role: string) => grants.filter((g) => g.inputs.accountRoleName === role).map(describeGrant).sort();

const FULL_USE_TYPES = ["TABLES", "VIEWS", "STAGES", "DYNAMIC TABLES", "MODELS", "PROCEDURES", "TASKS"];

function expectedGrants(env: string): string[] {
    const raw = `"${env}_RAW_DB"."PUBLIC"`;
    const common = [
        // EXECUTE ALERT and the integration: the role also owns the pipeline's alerts (docs/guardrails.md).
        // No EXECUTE MANAGED TASK: no task is serverless.
        "EXECUTE TASK,EXECUTE ALERT on ACCOUNT",
        `USAGE on INTEGRATION ${env}_ML_ALERTS`,
        // The alerts run on their own XSMALL warehouse, never on the environment's.
        `USAGE on WAREHOUSE ${env}_WH_ALERTS`,
        `USAGE,OPERATE,MONITOR on WAREHOUSE ${{ DEV: "DEV_WH_XS", SIT: "SIT_WH_S", UAT: "UAT_WH_M", PRD: "PRD_WH_L" }[env]}`,
        `USAGE on DATABASE ${env}_RAW_DB`,
        `USAGE on SCHEMA ${raw}`,
        `SELECT on ALL TABLES IN ${raw}`,
        `SELECT on FUTURE TABLES IN ${raw}`,
        `USAGE on DATABASE ${env}_ML_DB`,
    ];
    const ml = (schema: string) => `"${env}_ML_DB"."${schema}"`;
    if (env === "PRD") {
        return [
            ...common,
            `USAGE,CREATE PROCEDURE,CREATE TASK,CREATE MODEL,CREATE ALERT,CREATE STAGE,CREATE FILE FORMAT on SCHEMA ${ml("PIPELINES")}`,
            `SELECT,INSERT on ALL TABLES IN ${ml("PIPELINES")}`,
            `SELECT,INSERT on FUTURE TABLES IN ${ml("PIPELINES")}`,
            `READ,WRITE on ALL STAGES IN ${ml("PIPELINES")}`,
            `READ,WRITE on FUTURE STAGES IN ${ml("PIPELINES")}`,
            // No CREATE DYNAMIC TABLE: CUSTOMER_FEATURES is registered without refresh_freq (a view).
            `USAGE,CREATE TAG,CREATE VIEW,CREATE TABLE,CREATE STAGE,CREATE FILE FORMAT on SCHEMA ${ml("FEATURES")}`,
            `USAGE,CREATE STAGE,CREATE FILE FORMAT on SCHEMA ${ml("OUTPUT")}`,
            `SELECT,INSERT on ALL TABLES IN ${ml("OUTPUT")}`,
            `SELECT,INSERT on FUTURE TABLES IN ${ml("OUTPUT")}`,
            `SELECT on ALL VIEWS IN ${ml("OUTPUT")}`,
            `SELECT on FUTURE VIEWS IN ${ml("OUTPUT")}`,
        ].sort();
    }
    const full = ["PIPELINES", "FEATURES", "OUTPUT"].flatMap((s) => [
        `ALL on SCHEMA ${ml(s)}`,
        ...FULL_USE_TYPES.flatMap((t) => [`ALL on ALL ${t} IN ${ml(s)}`, `ALL on FUTURE ${t} IN ${ml(s)}`]),
    ]);
    // Outside production the role may call the sample-data loader, and nothing else that writes raw data.
    // No table argument: the loader writes only its own environment's CUSTOMERS (issue 10).
    const loader = `USAGE on PROCEDURE "${env}_RAW_DB"."PUBLIC"."LOAD_SAMPLE_CUSTOMERS"(NUMBER, NUMBER)`;
    return [...common, ...full, loader].sort();
}

describe.each(STACKS)("stack %s: access", (stack) => {
    const env = stack.toUpperCase();
    const role = `ML_${env}_ROLE`;

    test("the stack creates no role: ML_{ENV}_ROLE comes from the bootstrap, which the pipeline provider logs in as", async () => {
        const ev = await evaluated(stack);
        expect(ofType(ev, T.role)).toEqual([]);
        expect(readBootstrap(stack).roles.get(role)?.file).toBe(`bootstrap/${stack}/01_roles.sql`);
    });

    test("the role's grants are exactly those of SPEC §4 for this environment", async () => {
        const ev = await evaluated(stack);
        expect(grantsTo(ofType(ev, T.grant), role)).toEqual(expectedGrants(env));
    });

    test("the deploy user reaches the ML role only through the deploy role (no direct grant to the user)", async () => {
        const ev = await evaluated(stack);
        expect(ofType(ev, T.roleGrant)).toEqual([]);
        const account = readBootstrap(stack);
        expect([...(account.roleGrantsToRole.get(`PULUMI_${env}_DEPLOY_ROLE`) ?? [])]).toEqual([role]);
        expect([...(account.roleGrantsToUser.get(`PULUMI_${env}_DEPLOY_USER`) ?? [])]).toEqual([`PULUMI_${env}_DEPLOY_ROLE`]);
        expect([...rolesOfUser(account, `PULUMI_${env}_DEPLOY_USER`)].sort()).toEqual([`PULUMI_${env}_DEPLOY_ROLE`, role].sort());
    });

    test("nothing is granted to ACCOUNTADMIN, ORGADMIN or PUBLIC", async () => {
        const ev = await evaluated(stack);
        const forbidden = ["ACCOUNTADMIN", "ORGADMIN", "PUBLIC"];
        for (const g of ofType(ev, T.grant)) expect(forbidden).not.toContain(g.inputs.accountRoleName);
        for (const g of ofType(ev, T.roleGrant)) {
            expect(forbidden).not.toContain(g.inputs.parentRoleName);
            expect(forbidden).not.toContain(g.inputs.roleName);
        }
        expect(ev.resources.filter((r) => r.type === "snowflake:index/grantOwnership:GrantOwnership")).toEqual([]);
    });

    test("future grants are kept at schema level only (a schema's future grants override the database's)", async () => {
        const ev = await evaluated(stack);
        for (const g of ofType(ev, T.grant)) expect(g.inputs.onSchemaObject?.future?.inDatabase).toBeUndefined();
    });

    test("every provider acts as the bootstrap's deploy role or the ML role, never an administrator role", async () => {
        const ev = await evaluated(stack);
        const roles = Object.fromEntries(ofType(ev, T.provider).map((p) => [p.name, p.inputs.role]));
        expect(roles).toEqual({ "snowflake-deploy": `PULUMI_${env}_DEPLOY_ROLE`, "snowflake-pipeline": role });
    });
});

describe.each(STACKS)("stack %s: managed access schemas", (stack) => {
    test("every schema has managed access, so its owner (the deploy role) may define future grants without MANAGE GRANTS", async () => {
        const ev = await evaluated(stack);
        const schemas = ofType(ev, T.schema);
        expect(schemas).toHaveLength(4);
        for (const s of schemas) expect({ schema: s.inputs.name, withManagedAccess: s.inputs.withManagedAccess }).toEqual({ schema: s.inputs.name, withManagedAccess: "true" });
    });
});
