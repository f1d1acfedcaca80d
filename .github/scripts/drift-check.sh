#!/usr/bin/env bash
# One stack's drift check: `pulumi refresh --preview-only --expect-no-changes`, decided on the
# CLI's exit code (pulumi/pulumi v3.248.0 pkg/cmd/pulumi/cmd/exit_codes.go): 0 = no change,
# 7 = ExitNoChanges, the "changes were found although none were expected" code = drift;
# anything else (3 authentication, 6 stack not found, 1 any error, ...) is a failed check, not
# drift. Writes `result=clean|drift|error` and `exit-code=` to $GITHUB_OUTPUT and exits with the
# CLI's code, so the job fails for drift and for errors alike.
#
# --run-program: refresh runs the program, so providers are configured from the job's
# environment (this job's identity and key) instead of the provider inputs recorded in the
# state at the last `up` (pulumi/pulumi v3.248.0 pkg/cmd/pulumi/operations/refresh.go).
#
# --target: only the resource types the read-only preview role can read back (SHOW/DESCRIBE find
# nothing else, so refresh would report everything else as deleted). The list comes from the
# program (tools/driftTargets.ts <- infra/snowflake/previewAccess.ts); pulumi v3.248.0 refresh
# accepts --target (URN globs) together with --preview-only --expect-no-changes --run-program.
# Grants, procedures, stages, tags, tasks, alerts and the GitHub resources are not covered here:
# `pulumi up --refresh` in each deploy restores them (docs/operations.md, "Drift").
#
# usage: drift-check.sh <fully qualified stack, org/stack>
set -uo pipefail
stack="${1:?usage: drift-check.sh <org/stack>}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! targets="$(cd "$root" && npx --no-install ts-node --transpile-only tools/driftTargets.ts "$stack")" || [ -z "$targets" ]; then
  echo "result=error" >> "$GITHUB_OUTPUT"
  echo "exit-code=2" >> "$GITHUB_OUTPUT"
  echo "::error::could not derive the drift targets of ${stack} (tools/driftTargets.ts): the drift check did not run (not drift)"
  exit 2
fi
target_args=()
while IFS= read -r urn; do target_args+=(--target "$urn"); done <<< "$targets"

pulumi refresh --stack "$stack" "${target_args[@]}" --preview-only --expect-no-changes --run-program --non-interactive --diff 2>&1 | tee refresh.log
code=${PIPESTATUS[0]}

case "$code" in
  0) result=clean ;;
  7) result=drift ;;
  *) result=error ;;
esac
{
  echo "result=${result}"
  echo "exit-code=${code}"
} >> "$GITHUB_OUTPUT"
if [ "$result" = error ]; then
  echo "::error::pulumi refresh of ${stack} failed with exit code ${code}: the drift check did not run (not drift)"
fi
exit "$code"
