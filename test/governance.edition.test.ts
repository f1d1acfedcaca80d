/**
 * Targeting Standard Edition (issue 9 §6): object tagging and Time Travel beyond one day need
 * Enterprise Edition. The platform's own tags can be turned off, but the pipeline's Feature
 * Store (snowflake-ml-python 1.7.2) creates tags whenever it opens, so `snowflakeEdition:
 * STANDARD` is refused in every case, before any resource is registered, naming the key, the
 * stack file and what is allowed; the other Standard limits are listed with it.
 */
import { ConfigError } from "../stacks/config";
import { evaluated, evaluateWith, ofType } from "./support/stacks";

const TAG = "snowflake:index/tag:Tag";
const EDITION = "snowflake-mlops:snowflakeEdition: STANDARD: the pipeline's Feature Store creates object tags (its metadata and entities are tags), and object tagging needs Enterprise Edition or higher; allowed: ENTERPRISE, BUSINESS_CRITICAL";

describe("Enterprise Edition", () => {
    test("Enterprise (the default) keeps the tags and prd's seven days", async () => {
        const ev = await evaluated("prd");
        expect(ofType(ev, TAG).map((t) => t.inputs.name).sort()).toEqual(["COST_CENTER", "ENVIRONMENT", "OWNER"]);
        expect(ev.resources.find((r) => r.inputs.name === "PREDICTIONS")?.inputs.dataRetentionTimeInDays).toBe(7);
    });

    test("BUSINESS_CRITICAL is accepted as Enterprise is", async () => {
        const ev = await evaluateWith("dev", { overrides: { snowflakeEdition: "BUSINESS_CRITICAL" } });
        expect(ofType(ev, TAG).length).toBe(3);
    });
});

describe("Standard Edition rejected", () => {
    async function problems(stack: string, overrides: Record<string, unknown>): Promise<ConfigError> {
        const err = await evaluateWith(stack, { overrides: { snowflakeEdition: "STANDARD", ...overrides } }).catch((e) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.registeredResources).toEqual([]);
        return err;
    }

    test.each([
        ["dev", "1"],
        ["prd", "0"],
    ])("%s even with governanceTags false and predictionRetentionDays %s: the Feature Store needs tags", async (stack, days) => {
        const err = await problems(stack, { governanceTags: "false", predictionRetentionDays: days });
        expect(err.message).toBe(`Invalid configuration in Pulumi.${stack}.yaml (1 problem):\n  - ${EDITION}`);
    });

    test("prd as it is: seven days of Time Travel and tags", async () => {
        const err = await problems("prd", {});
        expect(err.stackFile).toBe("Pulumi.prd.yaml");
        expect(err.problems).toEqual([
            EDITION,
            "snowflake-mlops:predictionRetentionDays: 7 days of Time Travel needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: 0 or 1",
            "snowflake-mlops:governanceTags: true (object tagging) needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: false",
        ]);
    });

    test("uat with tags off still has three days of Time Travel", async () => {
        const err = await problems("uat", { governanceTags: "false" });
        expect(err.message).toBe(
            `Invalid configuration in Pulumi.uat.yaml (2 problems):\n  - ${EDITION}\n  - snowflake-mlops:predictionRetentionDays: 3 days of Time Travel needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: 0 or 1`,
        );
    });

    test("dev with one day still has tags", async () => {
        const err = await problems("dev", {});
        expect(err.problems).toEqual([EDITION, "snowflake-mlops:governanceTags: true (object tagging) needs Enterprise Edition or higher, and snowflakeEdition is STANDARD; allowed on STANDARD: false"]);
    });

    test("an unknown edition names the allowed values", async () => {
        const err = await evaluateWith("dev", { overrides: { snowflakeEdition: "enterprise" } }).catch((e) => e);
        expect(err.message).toContain('snowflake-mlops:snowflakeEdition: "enterprise" is not allowed; allowed values: STANDARD, ENTERPRISE, BUSINESS_CRITICAL');
    });
});
