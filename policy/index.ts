/**
 * Entry point of the policy pack (`pulumi preview --policy-pack policy
 * --policy-pack-config policy/config/<stack>.json`). Constructing the PolicyPack starts the
 * analyzer's gRPC server: tests use ./runner.ts and ./policies, never this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("snowflake-mlops-guardrails", {
    description: "Guardrails of the Snowflake ML platform: cost, access, task graph, data safety, tags and GitHub governance.",
    enforcementLevel: "mandatory",
    policies: POLICIES,
});
