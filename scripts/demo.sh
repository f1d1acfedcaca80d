#!/usr/bin/env bash
# The project's main job on its embedded default, no Snowflake account needed:
# the offline plan of every stack (and what each promotion changes), then the churn
# pipeline run locally end to end on the real bank-churn data (ml/data/bank-churn/).
# Full plans go to out/plan/, the pipeline report to out/pipeline-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "==> offline plan of every stack (full text in out/plan/)"
npm run -s plan -- --all --out out/plan
echo
echo "==> local pipeline run (state in .pipeline-state/dev/, report in out/pipeline-report.json)"
# One BLAS/OpenMP thread: on a busy 2-core machine unbounded threads made training 90x slower.
OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" npm run -s pipeline:local -- --report out/pipeline-report.json "$@"
