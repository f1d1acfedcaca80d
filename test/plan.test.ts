/** The offline plan and the promotion diff, on the real stacks, say true things. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/plan/cli";
import { longestChain } from "../tools/plan/chain";
import { RecordedResource } from "../tools/evaluate";
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

    test("dev -> sit adds only the protection of the sit branch; otherwise settings differ", async () => {
        const text = await main(["--diff", "dev", "sit"]);
        expect(text).toContain("Resources only in dev (0):");
        const onlyInSit = text.split("\n").filter((l) => l.startsWith("  + "));
        expect(onlyInSit.length).toBeGreaterThan(0);
        for (const line of onlyInSit) expect(line).toMatch(/BranchProtection|ProtectedBranch/);
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
        urn, type: "t", name: urn, custom, inputs: {}, dependencies, protect: false, retainOnDelete: false,
    });

    test("counts provider-managed resources on the longest path, not components", () => {
        const chain = longestChain([r("a", []), r("b", ["a"]), r("comp", ["b"], false), r("c", ["comp"]), r("d", ["a"])]);
        expect(chain.map((x) => x.urn)).toEqual(["a", "b", "c"]);
    });

    test("a cycle is reported", () => {
        expect(() => longestChain([r("a", ["b"]), r("b", ["a"])])).toThrow("Dependency cycle");
    });
});
