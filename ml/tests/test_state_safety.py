"""Concurrent, interrupted and killed local runs leave the state consistent (issue 14, 1-3, 7)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from churn_ml.local_run import main
from churn_ml.schema import FEATURE_VIEW_NAME, PIPELINE_RUN_LOG
from churn_ml.state_lock import StateLock
from churn_ml.store import LocalStore
from state_checks import REPO_ROOT, assert_consistent, cli

ROWS = "600"


@pytest.fixture(scope="module", autouse=True)
def lenient_gate(tmp_path_factory):
    """A repository root whose gate promotes every candidate, so every run commits a switch."""
    global GATE_ROOT
    GATE_ROOT = tmp_path_factory.mktemp("repo")
    (GATE_ROOT / "Pulumi.dev.yaml").write_text(
        "config:\n  snowflake-mlops:minRocAuc: 0.5\n  snowflake-mlops:maxAucRegression: 0.5\n")


GATE_ROOT = REPO_ROOT


def _args(state, *extra: str) -> list[str]:
    return ["--repo-root", str(GATE_ROOT), "--state", str(state), *extra]


@pytest.fixture(scope="module")
def champion_state(tmp_path_factory):
    """A state folder whose first run succeeded and made a champion."""
    state = tmp_path_factory.mktemp("champion") / "state"
    assert main(_args(state, "--generate", ROWS, "--seed", "1", "--run-id", "first")) == 0
    return state


def _copy(champion_state, tmp_path):
    state = tmp_path / "state"
    shutil.copytree(champion_state, state)
    return state


# 1. Two runs on one --state at once
def test_second_run_is_refused_naming_the_holder(champion_state, tmp_path, capsys):
    state = _copy(champion_state, tmp_path)
    report = tmp_path / "r.json"
    with StateLock(state, "holder-run") as lock:
        lock.acquire()
        code = main(_args(state, "--generate", ROWS, "--report", str(report)))
    assert code == 3
    err = capsys.readouterr().err
    assert "is in use by run holder-run" in err
    assert f"pid {os.getpid()}" in err and socket.gethostname() in err and "started 20" in err
    assert json.loads(report.read_text())["status"] == "FAILED"
    assert LocalStore(state).run_ids() == ["first"]  # nothing written by the refused run


def test_waiting_run_proceeds_when_the_holder_finishes(champion_state, tmp_path):
    state = _copy(champion_state, tmp_path)
    holder = StateLock(state, "short-holder")
    holder.acquire()
    child = subprocess.Popen(
        [sys.executable, "-m", "churn_ml.local_run", *_args(state, "--generate", ROWS,
                                                            "--lock-wait", "60")],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    assert child.poll() is None  # waiting for the lock
    holder.release()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert len(assert_consistent(state)["runs"]) == 2


def test_ctrl_c_while_waiting_for_the_lock_exits_130_with_a_failed_report(champion_state,
                                                                          tmp_path):
    state = _copy(champion_state, tmp_path)
    report = tmp_path / "r.json"
    holder = StateLock(state, "long-holder")
    holder.acquire()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "churn_ml.local_run",
             *_args(state, "--generate", ROWS, "--lock-wait", "60", "--report", str(report))],
            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lock_file = str((state / ".lock").resolve())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(  # the child is waiting on the lock
                os.path.realpath(f"/proc/{child.pid}/fd/{fd}") == lock_file
                for fd in os.listdir(f"/proc/{child.pid}/fd")):
            time.sleep(0.1)
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        holder.release()
    assert child.returncode == 130, err
    assert "interrupted by SIGINT while waiting for the state folder" in err
    assert "Traceback" not in err
    assert json.loads(report.read_text())["status"] == "FAILED"
    assert LocalStore(state).run_ids() == ["first"]


def test_stale_lock_of_a_dead_run_is_taken_over(champion_state, tmp_path, capsys):
    state = _copy(champion_state, tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    (state / ".lock").write_text(json.dumps({
        "pid": int(dead.stdout), "host": socket.gethostname(), "run_id": "killed-run",
        "started_at": "2026-01-01T00:00:00+00:00"}))
    assert main(_args(state, "--generate", ROWS)) == 0
    assert "took over the lock of run killed-run" in capsys.readouterr().out


def test_concurrent_runs_on_one_state_end_consistent(tmp_path):
    """N runs started together on one state folder: each waits its turn, none tears a file."""
    state = tmp_path / "state"
    runs = [f"stress-{i}" for i in range(4)]
    children = [
        subprocess.Popen([sys.executable, "-m", "churn_ml.local_run",
                          *_args(state, "--generate", ROWS, "--seed", str(i), "--run-id", run,
                                 "--lock-wait", "120", "--report",
                                 str(tmp_path / f"{run}.json"))],
                         cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for i, run in enumerate(runs)
    ]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    facts = assert_consistent(state)
    assert sorted(facts["runs"]) == sorted(runs)
    assert len(facts["versions"]) == 4 and facts["champion"] in facts["versions"]
    reports = [json.loads((tmp_path / f"{run}.json").read_text()) for run in runs]
    assert all(r["status"] == "SUCCEEDED" and r["rows_total"] == int(ROWS) for r in reports)
    assert all(r["predictions_written"] == int(ROWS) for r in reports)
    # Every run trained on its own full input, never on another run's half-written file.
    metrics = LocalStore(state).read_table("MODEL_METRICS")
    assert (metrics["TRAIN_ROWS"] + metrics["TEST_ROWS"] == int(ROWS)).all()
    log = facts["log"]
    assert (log.groupby("RUN_ID").size() == 6).all()


# 2. Interrupted and killed runs
_KILL_AT = {
    # step -> the function whose call inside that step delivers the signal
    "START": "churn_ml.steps:_run_logged",
    "FEATURE_ENGINEERING": "churn_ml.steps:build_features",
    "TRAINING": "churn_ml.steps:train_models",
    "VALIDATION_GATE": "churn_ml.gate:decide",
    "BATCH_INFERENCE": "churn_ml.inference:score_features",
    # between the predictions and the champion switch of the commit
    "COMMIT": "churn_ml.store:LocalStore.set_default_version",
    "FINALIZER": "churn_ml.steps:finalize_pipeline_run",
}


def _killer(target: str, signum: int) -> str:
    module, attribute = target.split(":")
    owner_path = attribute.split(".")
    return f"""
import importlib, os
_owner = importlib.import_module({module!r})
for _part in {owner_path[:-1]!r}:
    _owner = getattr(_owner, _part)
_original = getattr(_owner, {owner_path[-1]!r})
def _kill(*args, **kwargs):
    os.kill(os.getpid(), {int(signum)})
    return _original(*args, **kwargs)
setattr(_owner, {owner_path[-1]!r}, _kill)
import churn_ml.local_run as _lr
if {module!r} == "churn_ml.steps" and {owner_path[-1]!r} == "finalize_pipeline_run":
    _lr.steps.finalize_pipeline_run = _kill
"""


@pytest.mark.parametrize("step", list(_KILL_AT))
def test_sigterm_at_each_step_leaves_a_failed_record(champion_state, tmp_path, step):
    state = _copy(champion_state, tmp_path)
    before = LocalStore(state)
    champion, view = before.default_version(), before.read_feature_view(
        before.model_metrics(before.default_version())["feature_view_version"])
    report = tmp_path / "r.json"
    done = cli(*_args(state, "--generate", ROWS, "--seed", "9", "--run-id", "term",
                      "--report", str(report)),
               prelude=_killer(_KILL_AT[step], signal.SIGTERM))
    assert "Traceback" not in done.stderr, done.stderr
    facts = assert_consistent(state)
    final = facts["log"][(facts["log"]["RUN_ID"] == "term") & (facts["log"]["STEP"] == "PIPELINE")]
    assert len(final) == 1
    written = json.loads(report.read_text())
    if step in ("COMMIT", "FINALIZER"):
        # Held until the commit and its log row (or the outcome) are recorded: the run's
        # work is complete and recorded as such; the process still stops with 143.
        assert done.returncode == 143
        assert final.iloc[0]["STATUS"] == "SUCCEEDED"
        assert facts["champion"] != champion
        return
    assert done.returncode == 143, done.stdout + done.stderr
    assert final.iloc[0]["STATUS"] == "FAILED"
    assert "interrupted by SIGTERM" in final.iloc[0]["MESSAGE"]
    assert written["status"] == "FAILED"
    assert facts["champion"] == champion
    assert written["predictions_written"] == 0
    store = LocalStore(state)
    # The data the champion was trained on is kept whatever happened; the view serves
    # the interrupted run's rows only if its training had succeeded.
    snapshot = state / "feature_store" / FEATURE_VIEW_NAME / view_version(store, champion)
    pd.testing.assert_frame_equal(
        pd.read_csv(snapshot / "snapshots" / "first.csv", dtype={"CUSTOMER_ID": str}), view)
    if step in ("START", "FEATURE_ENGINEERING", "TRAINING"):
        pd.testing.assert_frame_equal(store.read_feature_view(view_version(store, champion)),
                                      view)


def view_version(store: LocalStore, version: str) -> str:
    return store.model_metrics(version)["feature_view_version"]


@pytest.mark.parametrize("step", ["FEATURE_ENGINEERING", "TRAINING", "BATCH_INFERENCE",
                                  "COMMIT", "FINALIZER"])
def test_kill_9_at_each_step_is_recovered_by_the_next_run(champion_state, tmp_path, step,
                                                          capsys):
    state = _copy(champion_state, tmp_path)
    champion = LocalStore(state).default_version()
    killed = cli(*_args(state, "--generate", ROWS, "--seed", "9", "--run-id", "killed"),
                 prelude=_killer(_KILL_AT[step], signal.SIGKILL))
    assert killed.returncode == -signal.SIGKILL
    assert_consistent(state, expect_all_finished=False)
    assert main(_args(state, "--generate", ROWS, "--seed", "3", "--run-id", "after")) == 0
    assert "recovered unfinished run killed" in capsys.readouterr().out
    facts = assert_consistent(state)
    log = facts["log"]
    final = log[(log["RUN_ID"] == "killed") & (log["STEP"] == "PIPELINE")].iloc[0]
    assert "finalized by run after" in final["MESSAGE"]
    if step == "FINALIZER":
        assert final["STATUS"] == "SUCCEEDED"  # every step had committed
    else:
        assert final["STATUS"] == "FAILED"
    if step == "COMMIT":
        assert "rolled back" in final["MESSAGE"] or "quarantine" in final["MESSAGE"]
        assert (state / "quarantine" / "PREDICTIONS" / "killed.csv").exists()
    assert champion in facts["versions"]


# 3. A failed run never replaces the data the champion was trained on
def test_failed_training_keeps_the_feature_view(champion_state, tmp_path, sample_customers):
    state = _copy(champion_state, tmp_path)
    store = LocalStore(state)
    champion = store.default_version()
    version = view_version(store, champion)
    before = store.read_feature_view(version)
    single_class = sample_customers.head(50).copy()
    single_class["TARGET_LABEL"] = 0
    data = tmp_path / "one-class.csv"
    from churn_ml.csv_io import write_customers_csv

    write_customers_csv(single_class, data)
    assert main(_args(state, "--data", str(data))) == 1
    after = LocalStore(state)
    assert after.default_version() == champion
    pd.testing.assert_frame_equal(after.read_feature_view(version), before)
    assert len(before) == int(ROWS)
    assert_consistent(state)
    snapshots = list((state / "feature_store" / FEATURE_VIEW_NAME).rglob("snapshots/*.csv"))
    assert len(snapshots) == 2  # the champion's, and the failed run's own (never published)


# 7. Run ids
def test_reused_run_id_is_refused_and_changes_nothing(champion_state, tmp_path, capsys):
    state = _copy(champion_state, tmp_path)
    report = tmp_path / "r.json"
    before = LocalStore(state).read_table(PIPELINE_RUN_LOG)
    assert main(_args(state, "--generate", ROWS, "--run-id", "first", "--report",
                      str(report))) == 2
    assert "run id 'first' belongs to a run that finished" in capsys.readouterr().err
    written = json.loads(report.read_text())
    assert written["status"] == "FAILED" and written["predictions_written"] == 0
    pd.testing.assert_frame_equal(LocalStore(state).read_table(PIPELINE_RUN_LOG), before)
    assert len(LocalStore(state).model_versions()) == 1


def test_run_id_that_cannot_name_a_file_is_refused(tmp_path, capsys):
    assert main(_args(tmp_path / "s", "--generate", ROWS, "--run-id", "../escape")) == 2
    assert "run id '../escape' is not allowed" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
