/**
 * Each explicit Snowflake provider enables exactly the preview resources it manages: a
 * missing flag fails only at apply and refresh time (NOTES), an extra one hides mistakes.
 */
import { PREVIEW_FEATURE_OF_TYPE } from "../infra/snowflake/providers";
import { SECRET_PLACEHOLDER } from "../tools/evaluate";
import { evaluated, ofType, STACKS, T } from "./support/stacks";

/** How the SDK marks a secret value in serialized inputs (runtime/rpc.ts specialSigKey / specialSecretSig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
// Provider inputs that are not strings arrive JSON-encoded (NOTES).
const parse = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);

describe.each(STACKS)("stack %s: Snowflake providers", (stack) => {
    test("previewFeaturesEnabled lists exactly the preview types each provider manages", async () => {
        const ev = await evaluated(stack);
        for (const provider of ofType(ev, T.provider)) {
            const used = new Set(ev.resources.filter((r) => r.provider === provider.urn && PREVIEW_FEATURE_OF_TYPE[r.type]).map((r) => PREVIEW_FEATURE_OF_TYPE[r.type]));
            expect({ provider: provider.name, features: [...parse(provider.inputs.previewFeaturesEnabled)].sort() }).toEqual({ provider: provider.name, features: [...used].sort() });
        }
    });

    test("key-pair auth as the configured service user; the key is a secret; sessions are tagged", async () => {
        const ev = await evaluated(stack);
        for (const provider of ofType(ev, T.provider)) {
            expect(provider.inputs).toMatchObject({ organizationName: "EXAMPLE_ORG", accountName: "ML_PLATFORM", user: "PULUMI_DEPLOY_USER", authenticator: "SNOWFLAKE_JWT" });
            // The key reaches the provider only inside the SDK's secret envelope.
            const { privateKey, ...rest } = provider.inputs;
            expect(privateKey).toEqual({ [SECRET_SIG]: SECRET_VALUE_SIG, value: SECRET_PLACEHOLDER });
            expect(JSON.stringify(rest)).not.toContain(SECRET_PLACEHOLDER);
            expect(parse(provider.inputs.params)).toEqual({ query_tag: `mlplatform-${stack}` });
        }
    });
});
