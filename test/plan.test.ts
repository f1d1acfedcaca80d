/** The offline plan and the promotion diff, on the real stacks, say true things. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/plan/cli";
import { longestChain } from "../tools/plan/chain";
import { evaluateStack, RecordedResource } from "../tools/evaluate";
import { billedSecondsPerRun, cronRunsPerMonth, estimateCredits } from "../tools/plan/credits";
import { STACKS } from "./support/stacks";

describe("npm run plan", () => {
    test.each(STACKS)("plan of %s: tree, counts by type, longest chain", async (stack) => {
        const text = await main([stack]);
        expect(text).toMatch(new RegExp(`^Stack ${stack} \\(Pulumi\\.${stack}\\.yaml\\): \\d+ resources`));
        expect(text).toContain(`snowflake:index/warehouse:Warehouse  compute-warehouse  [${stack.toUpperCase()}_WH_`);
        expect(text).toMatch(/ {4}2 {2}snowflake:index\/warehouse:Warehouse/);
        expect(text).toContain(`snowflake:index/database:Database  raw-data-database  [${stack.toUpperCase()}_RAW_DB]  (${stack === "prd" ? "protect, " : ""}retainOnDelete)`);
        const chain = /Longest dependency chain: (\d+) sequential steps/.exec(text);
        expect(Number(chain?.[1])).toBeGreaterThan(3);
    });

    test("uat -> prd changes the warehouse size, the retention, protection and the graph's state", async () => {
        const text = await main(["--diff", "uat", "prd"]);
        expect(text).toContain("warehouseSize: MEDIUM -> LARGE");
        expect(text).toContain("dataRetentionTimeInDays: 3 -> 7");
        expect(text).toContain("(option) protect: false -> true");
        expect(text).toContain("started: false -> true");
        // Production loads no synthetic data and has narrower grants.
        expect(text).toMatch(/Resources only in uat \(\d+\):[\s\S]*snowflake:index\/task:Task::retraining-graph-load-sample-data/);
        // Environment codes in names are set aside: the role differs only by {ENV}, so it is no change.
        expect(text).not.toContain("ML_UAT_ROLE -> ML_PRD_ROLE");
    });

    test("dev -> sit adds no resource (GitHub governance lives in admin/github); settings differ", async () => {
        const text = await main(["--diff", "dev", "sit"]);
        expect(text).toContain("Resources only in dev (0):");
        expect(text).toContain("Resources only in sit (0):");
        expect(text).toContain("warehouseSize: XSMALL -> SMALL");
    });

    test("--all --out writes every plan and every promotion diff", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const summary = await main(["--all", "--out", dir]);
        expect(fs.readdirSync(dir).sort()).toEqual(["dev-to-sit.txt", "dev.txt", "prd.txt", "sit-to-uat.txt", "sit.txt", "uat-to-prd.txt", "uat.txt"]);
        expect(summary.split("\n")).toHaveLength(7);
    });

    test("an unknown stack is refused with the list of stacks", async () => {
        await expect(main(["qa"])).rejects.toThrow('Unknown stack "qa". usage: npm run plan -- <stack>... | --all | --diff <from-stack> <to-stack>   (stacks: dev, sit, uat, prd)');
    });
});

describe("longest chain", () => {
    const r = (urn: string, dependencies: string[], custom = true): RecordedResource => ({
        urn, type: "t", name: urn, custom, inputs: {}, dependencies, protect: false, retainOnDelete: false, deleteBeforeReplace: false,
    });

    test("counts provider-managed resources on the longest path, not components", () => {
        const chain = longestChain([r("a", []), r("b", ["a"]), r("comp", ["b"], false), r("c", ["comp"]), r("d", ["a"])]);
        expect(chain.map((x) => x.urn)).toEqual(["a", "b", "c"]);
    });

    test("a cycle is reported", () => {
        expect(() => longestChain([r("a", ["b"]), r("b", ["a"])])).toThrow("Dependency cycle");
    });
});

describe("monthly credit estimate", () => {
    /** Snowflake's published credits per hour (docs.snowflake.com/en/user-guide/warehouses-overview). */
    const PER_HOUR = { XSMALL: 1, LARGE: 8 };

    test("prd: the graph's daily run on PRD_WH_L and the alerts on the XSMALL alert warehouse, against the quota", async () => {
        const text = await main(["prd"]);
        // Graph: 30 runs x (10 min + 300 s auto-suspend) on LARGE; failure alert: 720 hourly
        // checks x (5 s + 60 s) on XSMALL; drift alert: 30 daily checks likewise.
        const graph = (30 * (600 + 300) * PER_HOUR.LARGE) / 3600;
        const failure = (720 * 65 * PER_HOUR.XSMALL) / 3600;
        const drift = (30 * 65 * PER_HOUR.XSMALL) / 3600;
        expect(text).toContain(`Estimated credits per 30-day month: ${(graph + failure + drift).toFixed(1)} of a 400-credit monthly quota (18 %)`);
        expect(text).toContain(`   ${failure.toFixed(1)}  alert ML_PIPELINE_FAILED_ALERT on PRD_WH_ALERTS (XSMALL, 1 credit/h): 720 runs x 65 s billed`);
        expect(text).toContain(`  ${graph.toFixed(1)}  task graph ML_RETRAINING_PIPELINE on PRD_WH_L (LARGE, 8 credit/h): 30 runs x 900 s billed`);
        expect(text).toContain(`    ${drift.toFixed(1)}  alert ML_PREDICTION_DRIFT_ALERT on PRD_WH_ALERTS (XSMALL, 1 credit/h): 30 runs x 65 s billed`);
    });

    test("the hourly alert on prd's LARGE warehouse would cost more than the whole quota: the estimate shows it", async () => {
        const resources = JSON.parse(JSON.stringify((await evaluateStack("prd")).resources)) as RecordedResource[];
        for (const a of resources.filter((r) => r.type === "snowflake:index/alert:Alert")) a.inputs.warehouse = "PRD_WH_L";
        const failure = estimateCredits(resources).lines.find((l) => l.what === "alert ML_PIPELINE_FAILED_ALERT")!;
        expect(failure.billedSecondsPerRun).toBe(5 + 300);
        expect(failure.creditsPerMonth).toBeCloseTo((720 * 305 * PER_HOUR.LARGE) / 3600, 6);
        expect(failure.creditsPerMonth).toBeGreaterThan(400);
    });

    test("dev, sit, uat: the root is suspended and the alerts disabled, so nothing runs on a schedule", async () => {
        for (const stack of ["dev", "sit", "uat"]) {
            const e = estimateCredits((await evaluateStack(stack)).resources);
            expect({ stack, total: e.total }).toEqual({ stack, total: 0 });
            expect(e.lines.map((l) => l.note)).toEqual(["root suspended: manual runs only", "disabled", "disabled"]);
        }
        // One manual run of uat's graph: 10 min + 180 s auto-suspend on MEDIUM (4 credits/h).
        expect(await main(["uat"])).toContain(`(root suspended: manual runs only; ${(((600 + 180) * 4) / 3600).toFixed(3)} credits per run)`);
    });

    test("the promotion diff prints the change of the estimate", async () => {
        const text = await main(["--diff", "uat", "prd"]);
        expect(text).toContain("Estimated credits per 30-day month: 0.0 in uat -> 73.5 in prd (+73.5)");
        expect(text).toContain("  alert ML_PIPELINE_FAILED_ALERT: 0.0 -> 13.0 (on PRD_WH_ALERTS, XSMALL)");
        expect(text).toContain("  task graph ML_RETRAINING_PIPELINE: 0.0 -> 60.0 (on PRD_WH_L, LARGE)");
    });

    test.each([
        ["0 2 * * * UTC", 30],
        ["*/15 * * * *", 30 * 24 * 4],
        ["0 8 * * 1-5 Europe/Paris", (5 * 30) / 7],
        ["0 0 1 * *", 1],
        ["30 6,18 * * SUN", (2 * 30) / 7],
        ["0 3 * 1,7 *", 30 * (2 / 12)],
    ])("cron %s runs %d times a 30-day month", (cron, runs) => {
        expect(cronRunsPerMonth(cron)).toBeCloseTo(runs, 9);
    });

    test("a resume bills at least 60 s, then until auto-suspend, but never past the next run", () => {
        expect(billedSecondsPerRun(5, 0, 3600)).toBe(60);
        expect(billedSecondsPerRun(5, 60, 3600)).toBe(65);
        // Checks every 2 minutes on a warehouse that idles 5 minutes: it never suspends.
        expect(billedSecondsPerRun(5, 300, 120)).toBe(120);
    });
});
