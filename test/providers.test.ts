/**
 * The explicit Snowflake providers: exactly the preview resources each manages, the stack's
 * own bootstrap identity and connection warehouse, no credential in their inputs, and the
 * identity switch SNOWFLAKE_MLOPS_IDENTITY (deploy | preview).
 */
import { PREVIEW_FEATURE_OF_TYPE } from "../infra/snowflake/providers";
import { evaluated, evaluateWith, ofType, STACKS, stackValue, T } from "./support/stacks";

// Provider inputs that are not strings arrive JSON-encoded (NOTES).
const parse = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);
// A sentinel, not a key in PEM form: only whether the value leaks into the inputs matters.
const FAKE_KEY = "sentinel-value-of-SNOWFLAKE_PRIVATE_KEY-not-a-key";
const CREDENTIAL_INPUTS = ["privateKey", "privateKeyPassphrase", "password", "token", "tokenAccessor"];

describe.each(STACKS)("stack %s: Snowflake providers", (stack) => {
    const env = stack.toUpperCase();

    test("previewFeaturesEnabled lists exactly the preview types each provider manages", async () => {
        const ev = await evaluated(stack);
        for (const provider of ofType(ev, T.provider)) {
            const used = new Set(ev.resources.filter((r) => r.provider === provider.urn && PREVIEW_FEATURE_OF_TYPE[r.type]).map((r) => PREVIEW_FEATURE_OF_TYPE[r.type]));
            expect({ provider: provider.name, features: [...parse(provider.inputs.previewFeaturesEnabled)].sort() }).toEqual({ provider: provider.name, features: [...used].sort() });
        }
    });

    test("key-pair auth as the stack's own deploy user, through the bootstrap's warehouse; sessions are tagged", async () => {
        const ev = await evaluated(stack);
        const providers = ofType(ev, T.provider);
        expect(Object.fromEntries(providers.map((p) => [p.name, p.inputs.role]))).toEqual({ "snowflake-deploy": `PULUMI_${env}_DEPLOY_ROLE`, "snowflake-pipeline": `ML_${env}_ROLE` });
        for (const provider of providers) {
            expect(provider.inputs).toMatchObject({
                organizationName: "EXAMPLE_ORG",
                accountName: "ML_PLATFORM",
                user: stackValue(stack, "snowflakeDeployUser"),
                warehouse: stackValue(stack, "snowflakeConnectionWarehouse"),
                authenticator: "SNOWFLAKE_JWT",
            });
            expect(provider.inputs.user).toBe(`PULUMI_${env}_DEPLOY_USER`);
            expect(provider.inputs.warehouse).toBe(`PULUMI_${env}_WH`);
            expect(parse(provider.inputs.params)).toEqual({ query_tag: `mlplatform-${stack}` });
        }
    });

    test("no credential reaches the providers' inputs (and so the state), even with SNOWFLAKE_PRIVATE_KEY in the environment", async () => {
        // @pulumi/snowflake reads some variables from process.env itself (provider.js): set the
        // key where the job sets it and check the SDK does not copy it into the inputs.
        const saved = process.env.SNOWFLAKE_PRIVATE_KEY;
        process.env.SNOWFLAKE_PRIVATE_KEY = FAKE_KEY;
        try {
            const ev = await evaluateWith(stack, { environment: { SNOWFLAKE_PRIVATE_KEY: FAKE_KEY } });
            for (const provider of ofType(ev, T.provider)) {
                expect(Object.keys(provider.inputs).filter((k) => CREDENTIAL_INPUTS.includes(k))).toEqual([]);
                expect(JSON.stringify(provider.inputs)).not.toContain(FAKE_KEY);
            }
        } finally {
            if (saved === undefined) delete process.env.SNOWFLAKE_PRIVATE_KEY;
            else process.env.SNOWFLAKE_PRIVATE_KEY = saved;
        }
    });
});

describe("SNOWFLAKE_MLOPS_IDENTITY", () => {
    test.each(STACKS)("preview: every provider of %s logs in as the preview user and role", async (stack) => {
        const ev = await evaluateWith(stack, { environment: { SNOWFLAKE_MLOPS_IDENTITY: "preview" }, preview: true });
        const providers = ofType(ev, T.provider);
        expect(providers).toHaveLength(2);
        for (const p of providers) {
            expect({ user: p.inputs.user, role: p.inputs.role, warehouse: p.inputs.warehouse }).toEqual({
                user: stackValue(stack, "snowflakePreviewUser"),
                role: stackValue(stack, "snowflakePreviewRole"),
                warehouse: stackValue(stack, "snowflakeConnectionWarehouse"),
            });
        }
    });

    test("deploy, or unset, is the deploy identity, in a preview too", async () => {
        for (const environment of [{}, { SNOWFLAKE_MLOPS_IDENTITY: "deploy" }]) {
            const ev = await evaluateWith("sit", { environment, preview: true });
            expect(ofType(ev, T.provider).map((p) => [p.inputs.user, p.inputs.role])).toEqual([
                ["PULUMI_SIT_DEPLOY_USER", "PULUMI_SIT_DEPLOY_ROLE"],
                ["PULUMI_SIT_DEPLOY_USER", "ML_SIT_ROLE"],
            ]);
        }
    });

    test("preview outside a dry run is refused before anything is registered", async () => {
        const run = evaluateWith("prd", { environment: { SNOWFLAKE_MLOPS_IDENTITY: "preview" }, preview: false });
        await expect(run).rejects.toThrow(
            "SNOWFLAKE_MLOPS_IDENTITY=preview: the preview identity PULUMI_PRD_PREVIEW_USER (role PULUMI_PRD_PREVIEW_ROLE) can change nothing, so only `pulumi preview` may run with it. Run up and destroy of stack prd with the deploy identity (SNOWFLAKE_MLOPS_IDENTITY unset or deploy).",
        );
        await run.catch((err) => expect(err.registeredResources).toEqual([]));
    });

    test("an unknown value names the variable and the allowed values", async () => {
        await expect(evaluateWith("dev", { environment: { SNOWFLAKE_MLOPS_IDENTITY: "admin" } })).rejects.toThrow(
            'SNOWFLAKE_MLOPS_IDENTITY="admin" is not allowed; allowed: deploy (the default when unset), preview',
        );
    });

    test.each(["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "SNOWFLAKE_PASSWORD"])("%s in the environment is refused: the SDK would copy it into the state", async (variable) => {
        await expect(evaluateWith("uat", { environment: { [variable]: "s3cret" } })).rejects.toThrow(
            `${variable} is set: @pulumi/snowflake 1.3.0 copies it into the provider's inputs, which are stored in the state of stack uat.`,
        );
    });
});
