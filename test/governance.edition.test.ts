/**
 * Targeting Standard Edition (issue 9 §6): object tagging and Time Travel beyond one day need
 * Enterprise Edition, so `snowflakeEdition: STANDARD` is accepted only with tags off and every
 * retention at most one day, and rejected otherwise before any resource is registered, naming
 * the key, the stack file and what is allowed.
 */
import { ConfigError } from "../stacks/config";
import { evaluated, evaluateWith, ofType, T } from "./support/stacks";

const TAG = "snowflake:index/tag:Tag";
const TAG_ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation";

describe("Standard Edition accepted", () => {
    test.each([
        ["dev", "1"],
        ["prd", "0"],
    ])("%s with governanceTags false and predictionRetentionDays %s: no tag, no retention above 1 day anywhere", async (stack, days) => {
        const ev = await evaluateWith(stack, { overrides: { snowflakeEdition: "STANDARD", governanceTags: "false", predictionRetentionDays: days } });
        expect(ofType(ev, TAG)).toEqual([]);
        expect(ofType(ev, TAG_ASSOCIATION)).toEqual([]);
        const retained = ev.resources.filter((r) => r.inputs.dataRetentionTimeInDays !== undefined);
        expect(retained.map((r) => r.inputs.name)).toEqual(["PREDICTIONS"]);
        for (const r of retained) expect(r.inputs.dataRetentionTimeInDays).toBe(Number(days));
        // Everything else is still there: the graph, the alerts, the warehouses.
        expect(ofType(ev, T.task).length).toBeGreaterThanOrEqual(6);
        expect(ofType(ev, T.warehouse)).toHaveLength(2);
    });

    test("Enterprise (the default) keeps the tags and prd's seven days", async () => {
        const ev = await evaluated("prd");
        expect(ofType(ev, TAG).map((t) => t.inputs.name).sort()).toEqual(["COST_CENTER", "ENVIRONMENT", "OWNER"]);
        expect(ev.resources.find((r) => r.inputs.name === "PREDICTIONS")?.inputs.dataRetentionTimeInDays).toBe(7);
    });
});

describe("Standard Edition rejected", () => {
    async function problems(stack: string, overrides: Record<string, unknown>): Promise<ConfigError> {
        const err = await evaluateWith(stack, { overrides: { snowflakeEdition: "STANDARD", ...overrides } }).catch((e) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.registeredResources).toEqual([]);
        return err;
    }

    test("prd as it is: seven days of Time Travel and tags", async () => {
        const err = await problems("prd", {});
        expect(err.stackFile).toBe("Pulumi.prd.yaml");
        expect(err.problems).toEqual([
            "snowflake-mlops:predictionRetentionDays: 7 days of Time Travel needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: 0 or 1",
            "snowflake-mlops:governanceTags: true (object tagging) needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: false",
        ]);
    });

    test("uat with tags off still has three days of Time Travel", async () => {
        const err = await problems("uat", { governanceTags: "false" });
        expect(err.message).toBe(
            "Invalid configuration in Pulumi.uat.yaml (1 problem):\n  - snowflake-mlops:predictionRetentionDays: 3 days of Time Travel needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: 0 or 1",
        );
    });

    test("dev with one day still has tags", async () => {
        const err = await problems("dev", {});
        expect(err.problems).toEqual(["snowflake-mlops:governanceTags: true (object tagging) needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: false"]);
    });

    test("an unknown edition names the allowed values", async () => {
        const err = await evaluateWith("dev", { overrides: { snowflakeEdition: "enterprise" } }).catch((e) => e);
        expect(err.message).toContain('snowflake-mlops:snowflakeEdition: "enterprise" is not allowed; allowed values: STANDARD, ENTERPRISE, BUSINESS_CRITICAL');
    });
});
