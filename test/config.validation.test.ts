/** A bad stack file fails before any resource is registered, naming the key, the file and what is allowed. */
import { ConfigError } from "../stacks/config";
import { evaluateWith } from "./support/stacks";

async function failure(stack: string, overrides: Record<string, unknown>): Promise<ConfigError & { registeredResources: unknown[] }> {
    try {
        await evaluateWith(stack, { overrides });
    } catch (err) {
        return err as ConfigError & { registeredResources: unknown[] };
    }
    throw new Error("expected the stack to be rejected");
}

describe("invalid configuration", () => {
    const cases: [string, string, Record<string, unknown>, RegExp][] = [
        ["unknown warehouse size", "dev", { warehouseSize: "HUGE" }, /snowflake-mlops:warehouseSize: "HUGE" is not allowed; allowed values: XSMALL, SMALL, MEDIUM, LARGE/],
        ["auto-suspend of 0", "sit", { warehouseAutoSuspendSeconds: 0 }, /snowflake-mlops:warehouseAutoSuspendSeconds: 0 is out of range; allowed: an integer from 60 to 3600/],
        ["negative auto-suspend", "uat", { warehouseAutoSuspendSeconds: -5 }, /snowflake-mlops:warehouseAutoSuspendSeconds: -5 is out of range/],
        ["retention of 91", "prd", { predictionRetentionDays: 91 }, /snowflake-mlops:predictionRetentionDays: 91 is out of range; allowed: an integer from 0 to 90/],
        ["malformed cron", "prd", { pipelineSchedule: "0 25 * * * UTC" }, /snowflake-mlops:pipelineSchedule: "0 25 \* \* \* UTC": hour 25 is outside 0-23/],
        ["cron without time zone", "dev", { pipelineSchedule: "0 2 * * *" }, /snowflake-mlops:pipelineSchedule: "0 2 \* \* \*" has 5 fields; allowed: five cron fields and an IANA time zone/],
        ["unknown time zone", "dev", { pipelineSchedule: "0 2 * * * Mars/Olympus" }, /"Mars\/Olympus" is not a time zone/],
        ["missing required key", "uat", { warehouseSize: undefined }, /snowflake-mlops:warehouseSize: missing; this key is required/],
        ["identifier with a quote", "dev", { warehouseName: 'DEV_WH_"X' }, /snowflake-mlops:warehouseName: "DEV_WH_\\"X" is not an upper-case Snowflake identifier/],
        ["deploy role ACCOUNTADMIN", "prd", { snowflakeDeployRole: "ACCOUNTADMIN" }, /snowflake-mlops:snowflakeDeployRole: "ACCOUNTADMIN" is not allowed: the program never runs as ACCOUNTADMIN, SECURITYADMIN, SYSADMIN/],
        ["preview role SYSADMIN", "dev", { snowflakePreviewRole: "SYSADMIN" }, /snowflake-mlops:snowflakePreviewRole: "SYSADMIN" is not allowed: the program never runs as/],
        ["deploy user of another environment", "prd", { snowflakeDeployUser: "PULUMI_DEV_DEPLOY_USER" }, /snowflake-mlops:snowflakeDeployUser: "PULUMI_DEV_DEPLOY_USER" does not contain the environment code PRD as a word; allowed: this environment's own bootstrap name, e.g. PULUMI_PRD_DEPLOY_USER/],
        ["a shared deploy user", "sit", { snowflakeDeployUser: "PULUMI_DEPLOY_USER" }, /snowflake-mlops:snowflakeDeployUser: "PULUMI_DEPLOY_USER" does not contain the environment code SIT/],
        ["no deploy user", "uat", { snowflakeDeployUser: undefined }, /snowflake-mlops:snowflakeDeployUser: missing; this key is required/],
        ["preview user equal to the deploy user", "uat", { snowflakePreviewUser: "PULUMI_UAT_DEPLOY_USER" }, /snowflake-mlops:snowflakePreviewUser: "PULUMI_UAT_DEPLOY_USER" is also the deploy user; allowed: a separate read-only user/],
        ["connection warehouse the stack creates", "dev", { snowflakeConnectionWarehouse: "DEV_WH_XS" }, /snowflake-mlops:snowflakeConnectionWarehouse: "DEV_WH_XS" is the warehouse the stack creates; allowed: the bootstrap's warehouse/],
        ["no monitor recipient", "prd", { monitorNotifyUsers: [] }, /snowflake-mlops:monitorNotifyUsers: has 0 entries; allowed: at least 1/],
        ["warehouse of another environment", "dev", { warehouseName: "PRD_WH_L" }, /snowflake-mlops:warehouseName: "PRD_WH_L" must start with DEV_WH_/],
        ["env of another stack", "sit", { env: "PRD" }, /snowflake-mlops:env: "PRD" does not belong in stack "sit"/],
        ["sample data in production", "prd", { sampleRows: 100 }, /snowflake-mlops:sampleRows: 100 synthetic rows in PRD; allowed: 0/],
        ["graph started outside production", "dev", { pipelineStarted: true }, /snowflake-mlops:pipelineStarted: true outside production/],
        ["boolean given as yes", "dev", { pipelineStarted: "yes" }, /snowflake-mlops:pipelineStarted: "yes" is not a boolean; allowed values: true, false/],
        ["gate minimum below chance", "uat", { minRocAuc: "0.4" }, /snowflake-mlops:minRocAuc: 0.4 is out of range; allowed: a decimal from 0.5 to 1/],
        ["negative credit quota", "dev", { monthlyCreditQuota: -10 }, /snowflake-mlops:monthlyCreditQuota: -10 is out of range/],
        ["invalid alert email", "sit", { alertEmails: ["not-an-address"] }, /snowflake-mlops:alertEmails: "not-an-address" is not an email address/],
        ["drift threshold of 0", "uat", { driftPsiThreshold: "0" }, /snowflake-mlops:driftPsiThreshold: 0 is out of range; allowed: a decimal greater than 0 and at most 1/],
        ["drift threshold above 1", "uat", { driftPsiThreshold: "1.5" }, /snowflake-mlops:driftPsiThreshold: 1.5 is out of range/],
    ];

    test.each(cases)("%s: names the key and the stack file, registers nothing", async (_what, stack, overrides, message) => {
        const err = await failure(stack, overrides);
        expect(err.name).toBe("ConfigError");
        expect(err.message).toMatch(message);
        expect(err.message).toContain(`Pulumi.${stack}.yaml`);
        expect(err.registeredResources).toEqual([]);
    });

    test("every problem of a stack file is reported at once", async () => {
        const err = await failure("dev", { warehouseSize: "HUGE", predictionRetentionDays: 91, pipelineSchedule: "every day" });
        expect(err.problems.map((p) => p.split(":")[1])).toEqual(["warehouseSize", "predictionRetentionDays", "pipelineSchedule"]);
        expect(err.message).toMatch(/^Invalid configuration in Pulumi\.dev\.yaml \(3 problems\):/);
    });

    test("the private key is no configuration: a stack file without secrets is complete", async () => {
        await expect(evaluateWith("prd", { secretPlaceholder: null })).resolves.toBeDefined();
    });
});
