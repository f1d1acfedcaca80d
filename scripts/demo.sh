#!/usr/bin/env bash
# The project's main job on its embedded default, no Snowflake account needed:
# the offline plan of every stack (and what each promotion changes), then the churn
# pipeline run locally end to end on the real bank-churn data.
# Full plans go to out/plan/, the pipeline report to out/pipeline-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "==> offline plan of every stack (full text in out/plan/)"
npm run -s plan -- --all --out out/plan
echo
echo "==> local pipeline run (state in .pipeline-state/, report in out/pipeline-report.json)"
npm run -s pipeline:local -- --report out/pipeline-report.json "$@"
