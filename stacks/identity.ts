/**
 * Which Snowflake identity the stack's providers log in as, chosen by the job's environment
 * (the contract shared with the workflows):
 *
 * - SNOWFLAKE_MLOPS_IDENTITY unset or `deploy`: the deploy user; the deploy provider acts as
 *   the deploy role, the pipeline provider as ML_{ENV}_ROLE;
 * - `preview`: every provider logs in as the read-only preview user and role, which can
 *   change nothing, so the program refuses anything but a preview (dry run).
 *
 * The private key is read by the provider itself from SNOWFLAKE_PRIVATE_KEY (providers.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config";
import { environmentNames } from "../infra/snowflake/names";
import { CREDENTIAL_VARIABLES_COPIED_INTO_STATE } from "../infra/snowflake/providers";

export const IDENTITY_VARIABLE = "SNOWFLAKE_MLOPS_IDENTITY";
export const IDENTITIES = ["deploy", "preview"] as const;
export type IdentityKind = (typeof IDENTITIES)[number];

export interface SnowflakeIdentity {
    kind: IdentityKind;
    user: string;
    /** Role of the deploy provider. */
    deployProviderRole: string;
    /** Role of the pipeline provider (the owner of procedures, tasks and alerts). */
    pipelineProviderRole: string;
}

/** Raised before any resource is registered when the job's environment is unusable. */
export class IdentityError extends pulumi.RunError {
    constructor(message: string) {
        super(message);
        this.name = "IdentityError";
    }
}

export function chooseIdentity(cfg: PlatformConfig, environment: Record<string, string | undefined>, isDryRun: boolean): SnowflakeIdentity {
    for (const variable of CREDENTIAL_VARIABLES_COPIED_INTO_STATE) {
        if (environment[variable]) {
            throw new IdentityError(
                `${variable} is set: @pulumi/snowflake 1.3.0 copies it into the provider's inputs, which are stored in the state of stack ${cfg.stack}. ` +
                    `Unset it; authenticate with an unencrypted PKCS#8 key in SNOWFLAKE_PRIVATE_KEY (a secret of the stack's GitHub environment), which the provider reads itself.`,
            );
        }
    }
    const raw = environment[IDENTITY_VARIABLE];
    const kind = raw === undefined || raw === "" ? "deploy" : raw;
    if (!(IDENTITIES as readonly string[]).includes(kind)) {
        throw new IdentityError(`${IDENTITY_VARIABLE}=${JSON.stringify(raw)} is not allowed; allowed: deploy (the default when unset), preview`);
    }
    if (kind === "preview") {
        if (!isDryRun) {
            throw new IdentityError(
                `${IDENTITY_VARIABLE}=preview: the preview identity ${cfg.snowflake.previewUser} (role ${cfg.snowflake.previewRole}) can change nothing, so only \`pulumi preview\` may run with it. ` +
                    `Run up and destroy of stack ${cfg.stack} with the deploy identity (${IDENTITY_VARIABLE} unset or deploy).`,
            );
        }
        return { kind: "preview", user: cfg.snowflake.previewUser, deployProviderRole: cfg.snowflake.previewRole, pipelineProviderRole: cfg.snowflake.previewRole };
    }
    return { kind: "deploy", user: cfg.snowflake.deployUser, deployProviderRole: cfg.snowflake.deployRole, pipelineProviderRole: environmentNames(cfg.env).mlRole };
}
