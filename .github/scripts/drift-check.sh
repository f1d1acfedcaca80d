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
# usage: drift-check.sh <fully qualified stack, org/stack>
set -uo pipefail
stack="${1:?usage: drift-check.sh <org/stack>}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"

pulumi refresh --stack "$stack" --preview-only --expect-no-changes --run-program --non-interactive --diff 2>&1 | tee refresh.log
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
