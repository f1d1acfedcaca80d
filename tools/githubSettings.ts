/**
 * The environment stacks' configurations as the administrator's GitHub program needs them:
 * each Pulumi.<stack>.yaml read (project defaults applied) and validated by the same
 * readPlatformConfig as the stack itself, so a bad stack file fails here with the same message.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, PlatformConfig, readPlatformConfig } from "../stacks/config";
import { loadStackConfig, REPO_ROOT } from "./stackConfig";
import { PROMOTION_ORDER } from "./environments";

/** Secret keys are encrypted per stack and not needed for GitHub; they only have to be declared. */
const NOT_DECRYPTED = "<not decrypted: GitHub governance reads no secret>";

export function stackFileSource(stack: string, overrides: Record<string, unknown> = {}, root = REPO_ROOT): ConfigSource {
    const { values, secretKeys } = loadStackConfig(stack, overrides, root);
    const full = (key: string) => `snowflake-mlops:${key}`;
    return {
        get: (key) => values[full(key)] ?? (secretKeys.includes(full(key)) ? NOT_DECRYPTED : undefined),
        getSecret: (key) => (values[full(key)] !== undefined || secretKeys.includes(full(key)) ? pulumi.secret(values[full(key)] ?? NOT_DECRYPTED) : undefined),
    };
}

/** Every stack's validated configuration, in promotion order. */
export function allStackConfigs(overrides: Partial<Record<string, Record<string, unknown>>> = {}, root = REPO_ROOT): PlatformConfig[] {
    return PROMOTION_ORDER.map((stack) => readPlatformConfig(stack, stackFileSource(stack, overrides[stack] ?? {}, root)));
}
