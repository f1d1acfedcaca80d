/**
 * A fresh account that has had only its bootstrap (bootstrap/<stack>/*.sql) meets each
 * stack's first preview and up (issue #9, "what must be shown"): every provider's user, role
 * and warehouse exist before the stack runs and are not the stack's own; every privilege
 * the deploy identity uses is granted by the bootstrap or follows from owning the object.
 *
 * On the code before this change it fails for the three reasons of issue #9: providers
 * without a warehouse (or with the stack's own), a provider logging in as ML_{ENV}_ROLE
 * which the stack creates, and future grants in schemas without managed access.
 */
import { readBootstrap } from "../tools/bootstrap/account";
import { playFreshAccount } from "../tools/bootstrap/freshAccount";
import { RecordedResource } from "../tools/evaluate";
import { evaluated, evaluateWith, ofType, STACKS, T } from "./support/stacks";

const clone = (rs: RecordedResource[]): RecordedResource[] => JSON.parse(JSON.stringify(rs));

describe.each(STACKS)("stack %s on a fresh account after its bootstrap", (stack) => {
    const account = readBootstrap(stack);

    test("first preview and up: every login and every statement is allowed", async () => {
        const { problems } = playFreshAccount(account, (await evaluated(stack)).resources);
        expect(problems).toEqual([]);
    });

    test("the same holds when the providers log in with the preview identity", async () => {
        const ev = await evaluateWith(stack, { environment: { SNOWFLAKE_MLOPS_IDENTITY: "preview" }, preview: true });
        const logins = playFreshAccount(account, ev.resources).problems.filter((p) => p.startsWith("provider "));
        expect(logins).toEqual([]);
    });

    test("the preview identity could change nothing: every statement of the stack would be refused", async () => {
        const ev = await evaluateWith(stack, { environment: { SNOWFLAKE_MLOPS_IDENTITY: "preview" }, preview: true });
        const { problems } = playFreshAccount(account, ev.resources);
        const statements = ev.resources.filter((r) => r.custom && r.type.startsWith("snowflake:index/"));
        expect(statements.length).toBeGreaterThan(50);
        for (const r of statements) expect({ resource: r.name, refused: problems.some((p) => p.startsWith(`${r.name} (`)) }).toEqual({ resource: r.name, refused: true });
    });

    test("the bootstrap grants the deploy role no account privilege the stack does not use", async () => {
        const { usedAccountPrivileges } = playFreshAccount(account, (await evaluated(stack)).resources);
        const deployRole = `PULUMI_${stack.toUpperCase()}_DEPLOY_ROLE`;
        const granted = account.privilegeGrants
            .filter((g) => g.toRole === deployRole && g.on === "ACCOUNT")
            .flatMap((g) => g.privileges.map((p) => (g.grantOption ? `${p} WITH GRANT OPTION` : p)));
        expect(granted.filter((p) => !usedAccountPrivileges.get(deployRole)?.has(p))).toEqual([]);
    });

    describe("the check can fail", () => {
        test("a provider without a warehouse, or with the stack's own", async () => {
            const resources = clone((await evaluated(stack)).resources);
            const [first, second] = ofType({ stack, resources, calls: [] }, T.provider);
            delete first.inputs.warehouse;
            const stackWarehouse = ofType({ stack, resources, calls: [] }, T.warehouse)[0].inputs.name;
            second.inputs.warehouse = stackWarehouse;
            const { problems } = playFreshAccount(account, resources);
            expect(problems).toContain(`provider ${first.name} connects without a warehouse: provider v1.2.1 reads views and tags back through INFORMATION_SCHEMA.POLICY_REFERENCES, which needs one ("No active warehouse selected")`);
            expect(problems).toContain(`provider ${second.name} connects with warehouse ${stackWarehouse}, which the stack itself creates (it does not exist at the first preview)`);
        });

        test("a provider that logs in as a role the stack creates", async () => {
            const resources = clone((await evaluated(stack)).resources);
            const provider = ofType({ stack, resources, calls: [] }, T.provider)[0];
            provider.inputs.role = "STACK_MADE_ROLE";
            resources.push({ ...provider, urn: `${provider.urn}-role`, type: T.role, name: "stack-made-role", custom: true, inputs: { name: "STACK_MADE_ROLE" }, provider: provider.urn });
            const { problems } = playFreshAccount(account, resources);
            expect(problems).toContain(
                `provider ${provider.name} logs in as role STACK_MADE_ROLE, which the stack itself creates: Pulumi configures the provider during preview and the Snowflake provider opens a session then, before the role exists`,
            );
        });

        test("future grants in a schema without managed access", async () => {
            const resources = clone((await evaluated(stack)).resources);
            const schema = ofType({ stack, resources, calls: [] }, T.schema).find((s) => s.inputs.name === "OUTPUT")!;
            delete schema.inputs.withManagedAccess;
            const { problems } = playFreshAccount(account, resources);
            expect(problems.some((p) => p.includes(`FUTURE TABLES in schema ${stack.toUpperCase()}_ML_DB.OUTPUT need MANAGE GRANTS`))).toBe(true);
        });

        test("an alert calling SNOWFLAKE.ALERT functions whose owner lacks SNOWFLAKE.ALERT_VIEWER", async () => {
            const resources = (await evaluated(stack)).resources;
            const withoutViewer = readBootstrap(stack);
            withoutViewer.databaseRoleGrants.clear();
            const alerts = ofType({ stack, resources, calls: [] }, "snowflake:index/alert:Alert");
            expect(alerts.length).toBeGreaterThan(0);
            const problems = playFreshAccount(withoutViewer, resources).problems;
            for (const alert of alerts) {
                expect(problems).toContain(`${alert.name} (Alert): calls SNOWFLAKE.ALERT functions, but its owner ML_${stack.toUpperCase()}_ROLE is not granted the database role SNOWFLAKE.ALERT_VIEWER by the bootstrap`);
            }
        });

        describe("tasks and alerts are resumed and run as their owner, after the grants they need", () => {
            const ALERT = "snowflake:index/alert:Alert";
            const ml = `ML_${stack.toUpperCase()}_ROLE`;
            const setup = async () => {
                const resources = clone((await evaluated(stack)).resources);
                const ev = { stack, resources, calls: [] };
                const alerts = ofType(ev, ALERT);
                const startedTasks = ofType(ev, T.task).filter((t) => t.inputs.started === true);
                expect(alerts.length).toBeGreaterThan(0);
                expect(startedTasks.length).toBeGreaterThan(0);
                const mlGrants = ofType(ev, T.grant).filter((g) => g.inputs.accountRoleName === ml);
                const accountGrant = mlGrants.find((g) => g.inputs.onAccount === true)!;
                const onObject = (type: string, name: string) => mlGrants.find((g) => g.inputs.onAccountObject?.objectType === type && g.inputs.onAccountObject.objectName === name)!;
                return { resources, alerts, startedTasks, mlGrants, accountGrant, onObject, problems: () => playFreshAccount(account, resources).problems };
            };

            test("without EXECUTE ALERT the alerts cannot be created or resumed", async () => {
                const { alerts, accountGrant, problems } = await setup();
                accountGrant.inputs.privileges = accountGrant.inputs.privileges.filter((p: string) => p !== "EXECUTE ALERT");
                const found = problems();
                for (const a of alerts) expect(found).toContain(`${a.name} (Alert): its owner ${ml} lacks EXECUTE ALERT on ACCOUNT (neither the bootstrap nor the stack grants it)`);
                expect(found.every((p) => p.includes("EXECUTE ALERT"))).toBe(true);
            });

            test("without EXECUTE TASK the started tasks cannot be resumed", async () => {
                const { resources, startedTasks, accountGrant, problems } = await setup();
                accountGrant.inputs.privileges = accountGrant.inputs.privileges.filter((p: string) => p !== "EXECUTE TASK");
                const found = problems();
                for (const t of startedTasks) expect(found).toContain(`${t.name} (Task): its owner ${ml} lacks EXECUTE TASK on ACCOUNT (neither the bootstrap nor the stack grants it)`);
                // A task created suspended is not resumed by the provider.
                for (const t of ofType({ stack, resources, calls: [] }, T.task).filter((x) => x.inputs.started !== true)) expect(found.some((p) => p.startsWith(`${t.name} (`))).toBe(false);
            });

            test("without USAGE on the notification integration the alerts cannot send their email", async () => {
                const { resources, alerts, problems } = await setup();
                const usage = resources.findIndex((r) => r.type === T.grant && r.inputs.onAccountObject?.objectType === "INTEGRATION");
                const integration = resources[usage].inputs.onAccountObject.objectName;
                expect(integration).toBe(`${stack.toUpperCase()}_ML_ALERTS`);
                resources.splice(usage, 1);
                const found = problems();
                for (const a of alerts) expect(found).toContain(`${a.name} (Alert): its owner ${ml} lacks USAGE on INTEGRATION ${integration} (neither the bootstrap nor the stack grants it)`);
            });

            test("alerts that do not wait for the grants they need", async () => {
                const { resources, alerts, mlGrants, onObject, problems } = await setup();
                const grantUrns = new Set(resources.filter((r) => r.type === T.grant).map((r) => r.urn));
                for (const a of alerts) a.dependencies = a.dependencies.filter((u) => !grantUrns.has(u));
                const found = problems();
                const alertWarehouse = alerts[0].inputs.warehouse;
                const warehouseUsage = onObject("WAREHOUSE", alertWarehouse);
                const integrationUsage = onObject("INTEGRATION", `${stack.toUpperCase()}_ML_ALERTS`);
                const accountGrant = mlGrants.find((g) => g.inputs.onAccount === true)!;
                for (const a of alerts) {
                    expect(found).toContain(`${a.name} (Alert): does not depend on ${accountGrant.name}, which gives its owner ${ml} EXECUTE ALERT on ACCOUNT: Pulumi may create both at once`);
                    expect(found).toContain(`${a.name} (Alert): does not depend on ${warehouseUsage.name}, which gives its owner ${ml} USAGE on WAREHOUSE ${alertWarehouse}: Pulumi may create both at once`);
                    expect(found).toContain(`${a.name} (Alert): does not depend on ${integrationUsage.name}, which gives its owner ${ml} USAGE on INTEGRATION ${stack.toUpperCase()}_ML_ALERTS: Pulumi may create both at once`);
                }
                // A dependency on the components that declare the grants stands for the grants.
                const components = new Set([accountGrant, warehouseUsage, integrationUsage].map((g) => g.parent!));
                for (const a of alerts) a.dependencies.push(...components);
                expect(problems()).toEqual([]);
            });

            test("started tasks that do not wait for EXECUTE TASK (neither directly nor through the procedures' component)", async () => {
                const { resources, startedTasks, accountGrant, problems } = await setup();
                for (const r of resources) r.dependencies = r.dependencies.filter((u) => u !== accountGrant.urn);
                const found = problems();
                for (const t of startedTasks) expect(found).toContain(`${t.name} (Task): does not depend on ${accountGrant.name}, which gives its owner ${ml} EXECUTE TASK on ACCOUNT: Pulumi may create both at once`);
            });

            test("without USAGE on the alert warehouse", async () => {
                const { resources, alerts, onObject, problems } = await setup();
                const alertWarehouse = alerts[0].inputs.warehouse;
                resources.splice(resources.indexOf(onObject("WAREHOUSE", alertWarehouse)), 1);
                const found = problems();
                for (const a of alerts) expect(found).toContain(`${a.name} (Alert): role ${ml} has no USAGE on warehouse ${alertWarehouse}`);
            });
        });

        test("a resource monitor or its attachment in the stack", async () => {
            const resources = clone((await evaluated(stack)).resources);
            const deploy = ofType({ stack, resources, calls: [] }, T.provider).find((p) => p.name === "snowflake-deploy")!;
            resources.push({ ...deploy, urn: `${deploy.urn}-m`, type: "snowflake:index/resourceMonitor:ResourceMonitor", name: "monitor", custom: true, inputs: { name: "X" }, provider: deploy.urn });
            expect(playFreshAccount(account, resources).problems).toEqual([
                `monitor (ResourceMonitor): only ACCOUNTADMIN creates resource monitors; they belong to the bootstrap (bootstrap/${stack}/05_resource_monitor.sql), not to the stack`,
            ]);
        });
    });
});
