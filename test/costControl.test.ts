/**
 * The resource monitor belongs to the bootstrap (only ACCOUNTADMIN may create and assign
 * monitors); the program checks it through the stack's own provider before it declares
 * anything else: on the first preview of a fresh account, with a wrong quota, missing, or
 * capping the warehouse with another monitor.
 */
import { readBootstrap } from "../tools/bootstrap/account";
import { freshAccountCall, SnowflakeCall } from "../tools/bootstrap/mockAccount";
import { monitorProblems, MonitorExpectation } from "../infra/snowflake/costControl";
import { evaluateWith, ofType, STACKS, stackValue, T } from "./support/stacks";

const expectation = (stack: string): MonitorExpectation => {
    const env = stack.toUpperCase();
    return {
        monitorName: `${env}_ML_MONITOR`,
        creditQuota: Number(stackValue(stack, "monthlyCreditQuota")),
        isProduction: env === "PRD",
        warehouseNames: [stackValue(stack, "warehouseName"), `${env}_WH_ALERTS`],
        connectionWarehouse: stackValue(stack, "snowflakeConnectionWarehouse"),
        role: `PULUMI_${env}_DEPLOY_ROLE`,
        bootstrapFile: `bootstrap/${stack}/05_resource_monitor.sql`,
        stackFile: `Pulumi.${stack}.yaml`,
    };
};

/** Answers of a real account after the bootstrap, with one answer changed. */
function changed(stack: string, edit: (token: string, answer: Record<string, any>) => Record<string, any>): SnowflakeCall {
    const fresh = freshAccountCall(readBootstrap(stack));
    return (token, inputs, role) => edit(token, JSON.parse(JSON.stringify(fresh(token, inputs, role))));
}

describe.each(STACKS)("stack %s: the bootstrap's resource monitor", (stack) => {
    const e = () => expectation(stack);

    test("first preview on a fresh account: passes, and says the stack's warehouse is to be capped after the first up", async () => {
        const fresh = freshAccountCall(readBootstrap(stack));
        const monitors = fresh("snowflake:index/getResourceMonitors:getResourceMonitors", { like: e().monitorName }, e().role).resourceMonitors.flatMap((m: any) => m.showOutputs);
        const warehouses = [e().connectionWarehouse, ...e().warehouseNames].flatMap(
            (like) => fresh("snowflake:index/getWarehouses:getWarehouses", { like }, e().role).warehouses.flatMap((w: any) => w.showOutputs),
        );
        expect(monitorProblems(monitors, warehouses, e())).toEqual({
            errors: [],
            warnings: e().warehouseNames.map(
                (w) => `Warehouse ${w} is not created yet (or not visible to role ${e().role}); after the first \`pulumi up\` creates it, an administrator runs bootstrap/${stack}/05_resource_monitor.sql (as ACCOUNTADMIN) again to attach ${e().monitorName}.`,
            ),
        });
        // The whole program runs on that account.
        const ev = await evaluateWith(stack, { snowflakeCall: fresh });
        expect(ofType(ev, T.warehouse).map((w) => w.inputs.name)).toEqual(e().warehouseNames);
    });

    test("a quota other than monthlyCreditQuota stops the program before it declares anything but its providers", async () => {
        const call = changed(stack, (token, answer) => {
            if (token.includes("getResourceMonitors")) answer.resourceMonitors[0].showOutputs[0].creditQuota = 999;
            return answer;
        });
        const run = evaluateWith(stack, { snowflakeCall: call });
        await expect(run).rejects.toThrow(
            `Resource monitor ${e().monitorName} has a quota of 999 credits; Pulumi.${stack}.yaml says monthlyCreditQuota: ${e().creditQuota}: an administrator runs bootstrap/${stack}/05_resource_monitor.sql (as ACCOUNTADMIN) after \`npm run bootstrap:sql\`.`,
        );
        const err = await run.catch((x) => x);
        expect(err.name).toBe("MonitorCheckError");
        expect(err.registeredResources.map((r: any) => r.type)).toEqual([T.provider, T.provider]);
    });

    test("a missing monitor (not bootstrapped, or no MONITOR grant to the role) names the file to run", async () => {
        const call = changed(stack, (token, answer) => (token.includes("getResourceMonitors") ? { ...answer, resourceMonitors: [] } : answer));
        await expect(evaluateWith(stack, { snowflakeCall: call })).rejects.toThrow(
            `Resource monitor ${e().monitorName} does not exist or is not visible to role PULUMI_${stack.toUpperCase()}_DEPLOY_ROLE: an administrator runs bootstrap/${stack}/05_resource_monitor.sql (as ACCOUNTADMIN).`,
        );
    });
});

describe("the check's rules", () => {
    const e = expectation("dev");
    const monitor = { name: "DEV_ML_MONITOR", creditQuota: 20, frequency: "MONTHLY", suspendAt: 100 };
    const capped = [
        { name: "PULUMI_DEV_WH", resourceMonitor: "DEV_ML_MONITOR" },
        { name: "DEV_WH_XS", resourceMonitor: "DEV_ML_MONITOR" },
        { name: "DEV_WH_ALERTS", resourceMonitor: "DEV_ML_MONITOR" },
    ];

    test("a warehouse that exists must be capped by the environment's monitor", () => {
        expect(monitorProblems([monitor], capped, e)).toEqual({ errors: [], warnings: [] });
        expect(monitorProblems([monitor], [capped[0], { name: "DEV_WH_XS", resourceMonitor: "" }, capped[2]], e).errors).toEqual([
            "Warehouse DEV_WH_XS is capped by no resource monitor; allowed: DEV_ML_MONITOR: an administrator runs bootstrap/dev/05_resource_monitor.sql (as ACCOUNTADMIN).",
        ]);
        expect(monitorProblems([monitor], [{ name: "PULUMI_DEV_WH", resourceMonitor: "PRD_ML_MONITOR" }, capped[1]], e).errors).toEqual([
            "Warehouse PULUMI_DEV_WH is capped by PRD_ML_MONITOR; allowed: DEV_ML_MONITOR: an administrator runs bootstrap/dev/05_resource_monitor.sql (as ACCOUNTADMIN).",
        ]);
    });

    test("outside production the monitor suspends at 100 %; in production it only notifies", () => {
        expect(monitorProblems([{ ...monitor, suspendAt: 0 }], capped, e).errors).toEqual([
            "Resource monitor DEV_ML_MONITOR suspends at no threshold; allowed: 100 %: an administrator runs bootstrap/dev/05_resource_monitor.sql (as ACCOUNTADMIN).",
        ]);
        const prd = { ...expectation("prd") };
        const prdCapped = [
            { name: "PULUMI_PRD_WH", resourceMonitor: "PRD_ML_MONITOR" },
            { name: "PRD_WH_L", resourceMonitor: "PRD_ML_MONITOR" },
        ];
        expect(monitorProblems([{ name: "PRD_ML_MONITOR", creditQuota: 400, frequency: "MONTHLY", suspendAt: 0 }], prdCapped, prd).errors).toEqual([]);
        expect(monitorProblems([{ name: "PRD_ML_MONITOR", creditQuota: 400, frequency: "MONTHLY", suspendAt: 100 }], prdCapped, prd).errors).toEqual([
            "Resource monitor PRD_ML_MONITOR suspends at 100; allowed: no suspend trigger in production: an administrator runs bootstrap/prd/05_resource_monitor.sql (as ACCOUNTADMIN).",
        ]);
    });

    test("a similarly named monitor (LIKE treats _ as a wildcard) does not count", () => {
        expect(monitorProblems([{ ...monitor, name: "DEVXML_MONITOR" }], capped, e).errors[0]).toMatch(/^Resource monitor DEV_ML_MONITOR does not exist/);
    });
});
