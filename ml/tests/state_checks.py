"""What must hold for a local state folder after any sequence of runs, however they ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from churn_ml.schema import (
    GRAPH_STEPS,
    PIPELINE_RUN_LOG,
    PREDICTIONS,
    STEP_INFERENCE,
    STEP_PIPELINE,
    STEP_TRAINING,
    TABLE_COLUMNS,
)
from churn_ml.store import LocalStore

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        prelude: str = "") -> subprocess.CompletedProcess:
    """Run the local CLI in a child process (``prelude`` runs first, e.g. to time a kill)."""
    code = (f"import sys\n{prelude}\nfrom churn_ml.local_run import main\n"
            "sys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=REPO_ROOT)


def assert_consistent(state: Path, expect_all_finished: bool = True) -> dict:
    """No torn or temporary file, a registry whose champion exists, a complete run log.

    Returns facts for the caller's own checks.
    """
    leftovers = [p for p in state.rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    for path in state.rglob("*.csv"):
        frame = pd.read_csv(path)  # a torn CSV fails to parse or has a short last row
        if path.parent.parent.name == "tables" and path.parent.name in TABLE_COLUMNS:
            assert list(frame.columns) == list(TABLE_COLUMNS[path.parent.name]), path
            assert not frame.iloc[-1:].isna().all(axis=1).any(), f"empty last row in {path}"
    for path in state.rglob("*.json"):
        json.loads(path.read_text())
    store = LocalStore(state)
    versions = store.model_versions()
    for version in versions:
        assert (state / "registry" / "CHURN_MODEL" / version / "model.joblib").exists()
    champion = store.default_version()
    assert champion is None or champion in versions, champion

    log = store.read_table(PIPELINE_RUN_LOG)
    runs = list(dict.fromkeys(log["RUN_ID"].astype(str)))
    predictions = store.read_table(PREDICTIONS)
    for run_id in runs:
        rows = log[log["RUN_ID"] == run_id]
        finals = rows[rows["STEP"] == STEP_PIPELINE]
        if expect_all_finished:
            assert len(finals) == 1, f"run {run_id} has {len(finals)} PIPELINE rows"
        assert set(rows["STEP"]) <= {*GRAPH_STEPS, STEP_PIPELINE}
        scored = rows[(rows["STEP"] == STEP_INFERENCE) & (rows["STATUS"] == "SUCCEEDED")]
        mine = predictions[predictions["RUN_ID"] == run_id]
        if finals.empty:
            continue  # killed before its finalizer: the next run recovers it
        if scored.empty:
            assert mine.empty, f"run {run_id} has predictions but its scoring did not commit"
        else:
            assert len(mine) == int(json.loads(scored.iloc[-1]["DETAILS"])[
                "predictions_written"])
            assert mine["CUSTOMER_ID"].is_unique
    # The feature view serves data of a run whose training succeeded.
    published = list((state / "feature_store").rglob("published.json"))
    for path in published:
        run_id = json.loads(path.read_text())["run_id"]
        rows = log[(log["RUN_ID"] == run_id) & (log["STEP"] == STEP_TRAINING)]
        assert (rows["STATUS"] == "SUCCEEDED").any(), f"view published by {run_id}"
    return {"runs": runs, "versions": versions, "champion": champion, "log": log,
            "predictions": predictions}
