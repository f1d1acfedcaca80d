/**
 * Bad guardrail configuration fails before any resource is registered, with a message that
 * names the key, the stack file and what is allowed (stacks/config.ts validates).
 */
import { evaluateWith } from "./support/stacks";

const cases: [string, string, unknown, string][] = [
    ["a negative quota", "monthlyCreditQuota", -5, "-5 is out of range; allowed: an integer from 1 to 1000000"],
    ["a zero quota", "monthlyCreditQuota", 0, "0 is out of range; allowed: an integer from 1 to 1000000"],
    ["an invalid email address", "alertEmails", ["ml-alerts@example.com", "not-an-email"], '"not-an-email" is not an email address (name@domain.tld)'],
    ["no recipient", "alertEmails", [], "has 0 entries; allowed: at least 1"],
    ["a drift threshold of 0", "driftPsiThreshold", "0", "0 is out of range; allowed: a decimal greater than 0 and at most 1"],
    ["a drift threshold above 1", "driftPsiThreshold", "1.5", "1.5 is out of range; allowed: a decimal greater than 0 and at most 1"],
    ["a drift threshold that is no number", "driftPsiThreshold", "high", '"high" is not a number; allowed: a decimal greater than 0 and at most 1'],
];

describe.each(cases)("%s", (_what, key, value, problem) => {
    it(`is rejected naming snowflake-mlops:${key} and the stack file`, async () => {
        const stack = key === "alertEmails" ? "prd" : "uat";
        await expect(evaluateWith(stack, { overrides: { [key]: value } })).rejects.toThrow(
            `Invalid configuration in Pulumi.${stack}.yaml (1 problem):\n  - snowflake-mlops:${key}: ${problem}`,
        );
    });
});
