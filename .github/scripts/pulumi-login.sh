#!/usr/bin/env bash
# Logs the Pulumi CLI into the state backend (Pulumi Cloud) with the job's GitHub OIDC token,
# exchanged for a short-lived token of the environment's Pulumi team; no long-lived backend
# secret exists. Fails the job at once: pulumi/actions only warns when its own login fails
# (pulumi/actions v7.0.0 src/main.ts: `core.warning("Failed to login ...")`) and would then
# fail later with a misleading error, or run against the wrong backend.
#
# Needs `permissions: id-token: write` on the job, and PULUMI_BACKEND_URL, PULUMI_ORGANIZATION,
# PULUMI_TEAM (variables of the job's GitHub environment). The exchange and its flags:
# pulumi/pulumi v3.248.0 pkg/cmd/pulumi/auth/login.go (--oidc-token, --oidc-org, --oidc-team).
set -euo pipefail

for name in PULUMI_BACKEND_URL PULUMI_ORGANIZATION PULUMI_TEAM; do
  if [ -z "${!name:-}" ]; then
    echo "::error::${name} is not set: the job must run in a GitHub environment created by admin/github (docs/operations.md)"
    exit 1
  fi
done
if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then
  echo "::error::No OIDC token available: the job needs 'permissions: id-token: write'"
  exit 1
fi

# The audience Pulumi Cloud expects for an organization's OIDC issuer: urn:pulumi:org:<org>.
audience="urn:pulumi:org:${PULUMI_ORGANIZATION}"
oidc_token="$(curl --silent --show-error --fail \
  -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
  "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}" | jq -r '.value')"
if [ -z "$oidc_token" ] || [ "$oidc_token" = "null" ]; then
  echo "::error::GitHub returned no OIDC token"
  exit 1
fi
echo "::add-mask::${oidc_token}"

pulumi login --non-interactive "$PULUMI_BACKEND_URL" \
  --oidc-token "$oidc_token" --oidc-org "$PULUMI_ORGANIZATION" --oidc-team "$PULUMI_TEAM" --oidc-expiration 2h
pulumi whoami --non-interactive --verbose
