"""The declared views and alert conditions run on fakesnow, and the known views return
the numbers computed independently here in Python from the same rows.

Emulator differences met here (docs/sql-verification.md): fakesnow runs in UTC, so
CURRENT_TIMESTAMP()::TIMESTAMP_NTZ is UTC wall-clock time (Snowflake: the session time
zone's); SUM of integers comes back as a float and AVG of NUMBER(5,4) as a float
(Snowflake: NUMBER), so numbers are compared by value, averages to 1e-9.
"""

from __future__ import annotations

import contextlib
import copy
import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from declared import ALERT, QUERY_OBJECTS, STACKS, TABLE, DeclaredStack
from emulator import (
    MODEL_VERSIONS,
    create_stack,
    emulator,
    emulator_now,
    insert,
    install_alert_clock,
    predictions,
    q,
    score_baseline,
    select,
    set_alert_clock,
)
from sql_references import Checker

MODEL_NAME = "CHURN_MODEL"


class Loaded:
    def __init__(self, declared: DeclaredStack, conn: Any, errors: dict, now: datetime, today: Any, data: dict[str, list[dict[str, Any]]]):
        self.declared, self.conn, self.errors, self.now, self.today, self.data = declared, conn, errors, now, today, data

    def table(self, name: str) -> tuple[str, str, str]:
        found = [r.key for r in self.declared.of_type(TABLE) if r.inputs.get("name") == name]
        assert len(found) == 1, f"{self.declared.stack}: expected one declared table {name}, found {found}"
        return found[0]

    def view(self, name: str) -> tuple[str, str, str] | None:
        found = [r.key for r in self.declared.of_type(*QUERY_OBJECTS) if r.key[2] == name]
        return found[0] if found else None

    def rows(self, name: str, required: bool = True) -> list[dict[str, Any]]:
        key = self.view(name)
        if key is None:
            if required:
                pytest.fail(f"{self.declared.stack}: view {name} is not declared")
            pytest.skip(f"NOT CHECKED: {self.declared.stack} declares no view {name}")
        assert key not in self.errors, f"{self.declared.stack}: view {name} could not be created on the emulator: {self.errors[key]}"
        return select(self.conn, f"SELECT * FROM {q(*key)}")


def run_log(now: datetime) -> list[dict[str, Any]]:
    def step(run: str, name: str, status: str, end: datetime, **kw: Any) -> dict[str, Any]:
        row = {"RUN_ID": run, "STEP": name, "STATUS": status, "STARTED_AT": end - timedelta(seconds=30), "FINISHED_AT": end,
               "DURATION_SECONDS": 30.0, "ROWS_PROCESSED": None, "ROWS_REJECTED": None, "MODEL_VERSION": None, "MESSAGE": None, "DETAILS": None}
        row.update(kw)
        return row

    t1, t2, t4 = now - timedelta(hours=5), now - timedelta(minutes=10), now - timedelta(days=3)
    return [
        step("R1", "START", "SUCCEEDED", t1 - timedelta(minutes=5)),
        step("R1", "FEATURE_ENGINEERING", "SUCCEEDED", t1 - timedelta(minutes=4), ROWS_PROCESSED=100, ROWS_REJECTED=3),
        step("R1", "TRAINING", "SUCCEEDED", t1 - timedelta(minutes=3), MODEL_VERSION=MODEL_VERSIONS[1]),
        step("R1", "VALIDATION_GATE", "SUCCEEDED", t1 - timedelta(minutes=2)),
        step("R1", "BATCH_INFERENCE", "SUCCEEDED", t1 - timedelta(minutes=1), ROWS_PROCESSED=97, ROWS_REJECTED=0),
        step("R1", "PIPELINE", "SUCCEEDED", t1, DURATION_SECONDS=300.5, MODEL_VERSION=MODEL_VERSIONS[1], MESSAGE="ok"),
        step("R2", "START", "SUCCEEDED", t2 - timedelta(minutes=2)),
        step("R2", "FEATURE_ENGINEERING", "FAILED", t2 - timedelta(minutes=1), ROWS_REJECTED=7, MESSAGE="too many rejected rows"),
        step("R2", "PIPELINE", "FAILED", t2, DURATION_SECONDS=120.0, MESSAGE="FEATURE_ENGINEERING failed"),
        step("R3", "START", "SUCCEEDED", now - timedelta(minutes=3)),
        step("R3", "FEATURE_ENGINEERING", "SUCCEEDED", now - timedelta(minutes=2), ROWS_REJECTED=1),
        step("R4", "START", "SUCCEEDED", t4 - timedelta(minutes=2)),
        step("R4", "TRAINING", "FAILED", t4 - timedelta(minutes=1)),
        step("R4", "PIPELINE", "FAILED", t4, MESSAGE="TRAINING failed"),
    ]


def model_metrics(now: datetime) -> list[dict[str, Any]]:
    return [
        {"RUN_ID": f"R{i}", "MODEL_NAME": MODEL_NAME, "MODEL_VERSION": v, "TRAINED_AT": now - timedelta(days=30 - 20 * i), "ALGORITHM": "GradientBoostingClassifier",
         "TRAIN_ROWS": 800, "TEST_ROWS": 200, "ROC_AUC": 0.80 + i / 100, "PR_AUC": 0.6, "ACCURACY": 0.85, "PRECISION": 0.7, "RECALL": 0.5, "F1": 0.58,
         "BASELINE_ROC_AUC": 0.75, "FEATURE_VIEW_VERSION": "V1"}
        for i, v in enumerate(MODEL_VERSIONS)
    ]


def gate_decisions(now: datetime) -> list[dict[str, Any]]:
    return [{"RUN_ID": "R1", "MODEL_NAME": MODEL_NAME, "CANDIDATE_VERSION": MODEL_VERSIONS[1], "CHAMPION_VERSION_BEFORE": MODEL_VERSIONS[0],
             "CANDIDATE_ROC_AUC": 0.81, "CHAMPION_ROC_AUC": 0.80, "MIN_ROC_AUC": 0.7, "MAX_AUC_REGRESSION": 0.05, "PROMOTED": True,
             "REASON": "meets minimum, no regression", "DECIDED_AT": now - timedelta(days=9)}]


@contextlib.contextmanager
def load(declared: DeclaredStack) -> Iterator[Loaded]:
    """The stack on a fresh emulator, with the deterministic rows of every known table."""
    with emulator() as conn:
        errors = create_stack(conn, declared)
        install_alert_clock(conn)
        now, today = emulator_now(conn)
        stack = Loaded(declared, conn, errors, now, today, {})
        data = {
            "PREDICTIONS": predictions(now).rows,
            "SCORE_BASELINE": score_baseline(MODEL_NAME),
            "PIPELINE_RUN_LOG": run_log(now),
            "MODEL_METRICS": model_metrics(now),
            "GATE_DECISIONS": gate_decisions(now),
        }
        for name, rows in data.items():
            insert(conn, stack.table(name), rows)
        stack.data = data
        yield stack


@pytest.fixture(scope="module", params=STACKS)
def loaded(request: pytest.FixtureRequest, declared_docs: dict[str, dict]) -> Iterator[Loaded]:
    with load(DeclaredStack.from_json(copy.deepcopy(declared_docs[request.param]))) as stack:
        yield stack


def test_every_view_runs_on_the_emulator_with_the_derived_columns(loaded: Loaded) -> None:
    assert not loaded.errors, "\n".join(f"{loaded.declared.stack}: {'.'.join(k)} not created on the emulator: {e}" for k, e in loaded.errors.items())
    Checker(loaded.declared)  # derives each view's columns from its SELECT list
    for r in loaded.declared.of_type(*QUERY_OBJECTS):
        cur = loaded.conn.cursor()
        cur.execute(f"SELECT * FROM {q(*r.key)}")
        assert [d.name for d in cur.description] == loaded.declared.columns[r.key], f"{r.label}: emulator columns differ from the derived ones"


def test_every_alert_condition_runs_on_the_emulator(loaded: Loaded) -> None:
    alerts = loaded.declared.of_type(ALERT)
    if not alerts:
        pytest.skip(f"NOT CHECKED: {loaded.declared.stack} declares no alerts")
    for a in alerts:
        select(loaded.conn, a.inputs["condition"])


def test_failure_alert_mails_each_failed_run_exactly_once(loaded: Loaded) -> None:
    """Hourly checks over four days: every failed run is selected by exactly one check whose
    mail went out, and no other run ever is; when the action of the check that found a
    failure fails (no mail, so LAST_SUCCESSFUL_SCHEDULED_TIME stays behind), the next check
    mails it instead."""
    alert = next((a for a in loaded.declared.of_type(ALERT) if "PIPELINE_RUN_LOG" in a.inputs.get("condition", "")), None)
    if alert is None:
        pytest.skip(f"NOT CHECKED: {loaded.declared.stack} declares no failure alert")
    hour = loaded.now.replace(minute=0, second=0, microsecond=0)
    checks = [hour - timedelta(hours=h) for h in range(4 * 24, -3, -1)]

    def run(failing_actions: set[datetime]) -> tuple[list[str], dict[datetime, list[str]]]:
        mailed: list[str] = []
        seen: dict[datetime, list[str]] = {}
        last_successful: datetime | None = None
        for scheduled in checks:
            set_alert_clock(loaded.conn, scheduled, last_successful)
            seen[scheduled] = [r["RUN_ID"] for r in select(loaded.conn, alert.inputs["condition"])]
            if scheduled not in failing_actions:
                mailed += seen[scheduled]
                last_successful = scheduled
        return mailed, seen

    failed = sorted(r["RUN_ID"] for r in loaded.data["PIPELINE_RUN_LOG"] if r["STEP"] == "PIPELINE" and r["STATUS"] == "FAILED")
    assert failed == ["R2", "R4"]
    try:
        mailed, seen = run(set())
        assert sorted(mailed) == failed
        finder = next(c for c, runs in seen.items() if "R4" in runs)
        mailed, seen = run({finder})
        assert sorted(mailed) == failed
        assert "R4" in seen[finder + timedelta(hours=1)]
    finally:
        set_alert_clock(loaded.conn, loaded.now, None)


def test_recent_predictions_is_the_configured_window(loaded: Loaded) -> None:
    days = int(loaded.declared.setting("recentPredictionsDays"))
    cutoff = loaded.now - timedelta(days=days)
    expected = sorted((r["CUSTOMER_ID"], r["PREDICTION_TIMESTAMP"]) for r in loaded.data["PREDICTIONS"] if r["PREDICTION_TIMESTAMP"] >= cutoff)
    got = sorted((r["CUSTOMER_ID"], r["PREDICTION_TIMESTAMP"]) for r in loaded.rows("RECENT_PREDICTIONS"))
    older = len(loaded.data["PREDICTIONS"]) - len(expected)
    assert older > 0 and len(expected) > 0, "the data must straddle the window"
    assert got == expected, f"{loaded.declared.stack}: RECENT_PREDICTIONS ({days} days) returned {len(got)} rows, expected {len(expected)}"


def test_prediction_stats_per_day_and_version(loaded: Loaded) -> None:
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in loaded.data["PREDICTIONS"]:
        groups[(r["PREDICTION_TIMESTAMP"].date(), r["MODEL_VERSION"])].append(r)
    assert len({v for _, v in groups}) == 2 and len({d for d, _ in groups}) > 30
    expected = {}
    for key, rows in groups.items():
        scores = [r["CONFIDENCE_SCORE"] for r in rows]
        expected[key] = {
            "TOTAL_PREDICTIONS": len(rows),
            "CHURN_PREDICTIONS": sum(r["PREDICTION"] == 1 for r in rows),
            "RETAINED_PREDICTIONS": sum(r["PREDICTION"] == 0 for r in rows),
            "AVG_CONFIDENCE": sum(scores, Decimal(0)) / len(scores),
            "MIN_CONFIDENCE": min(scores),
            "MAX_CONFIDENCE": max(scores),
        }
    got = {(r["PREDICTION_DATE"], r["MODEL_VERSION"]): r for r in loaded.rows("PREDICTION_STATS")}
    assert set(got) == set(expected)
    for key, want in expected.items():
        row = got[key]
        for column, value in want.items():
            if column == "AVG_CONFIDENCE":
                assert math.isclose(float(row[column]), float(value), abs_tol=1e-9), f"{key} {column}: {row[column]} != {value}"
            else:
                assert Decimal(str(row[column])) == Decimal(value), f"{key} {column}: {row[column]} != {value}"


def _psi(loaded: Loaded) -> dict[tuple, tuple[int, int, float]]:
    """PSI per (day, version) from first principles: 10 bins of width 0.1, fractions floored."""
    baseline: dict[str, dict[int, float]] = defaultdict(dict)
    for b in loaded.data["SCORE_BASELINE"]:
        if b["MODEL_NAME"] == MODEL_NAME:
            baseline[b["MODEL_VERSION"]][b["BIN_INDEX"]] = b["EXPECTED_FRACTION"]
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * 10)
    for r in loaded.data["PREDICTIONS"]:
        counts[(r["PREDICTION_TIMESTAMP"].date(), r["MODEL_VERSION"])][min(int(r["CONFIDENCE_SCORE"] * 10), 9)] += 1
    out = {}
    for (day, version), bins in counts.items():
        if version not in baseline:
            continue
        total = sum(bins)
        psi = 0.0
        for b, expected in baseline[version].items():
            actual, expected = max(bins[b] / total, 0.0001), max(expected, 0.0001)
            psi += (actual - expected) * math.log(actual / expected)
        out[(day, version)] = (total, len(baseline[version]), psi)
    return out


def test_prediction_drift_is_the_psi(loaded: Loaded) -> None:
    got = {(r["PREDICTION_DATE"], r["MODEL_VERSION"]): r for r in loaded.rows("PREDICTION_DRIFT", required=False)}
    expected = _psi(loaded)
    assert set(got) == set(expected)
    for key, (total, bins, psi) in expected.items():
        assert (got[key]["PREDICTIONS"], got[key]["BINS"]) == (total, bins), key
        assert math.isclose(got[key]["PSI"], psi, rel_tol=1e-9, abs_tol=1e-12), f"{key}: PSI {got[key]['PSI']} != {psi}"


def test_drift_alert_fires_for_today_above_the_threshold(loaded: Loaded) -> None:
    alert = next((a for a in loaded.declared.of_type(ALERT) if "PREDICTION_DRIFT" in a.inputs.get("condition", "")), None)
    if alert is None:
        pytest.skip(f"NOT CHECKED: {loaded.declared.stack} declares no drift alert")
    threshold = float(loaded.declared.setting("driftPsiThreshold"))
    expected = sorted((d, v) for (d, v), (_, _, psi) in _psi(loaded).items() if d == loaded.today and psi > threshold)
    assert expected, "today's data must drift"
    got = sorted((r["PREDICTION_DATE"], r["MODEL_VERSION"]) for r in select(loaded.conn, alert.inputs["condition"]))
    assert got == expected


def test_pipeline_run_history(loaded: Loaded) -> None:
    got = {r["RUN_ID"]: r for r in loaded.rows("PIPELINE_RUN_HISTORY", required=False)}
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in loaded.data["PIPELINE_RUN_LOG"]:
        runs[r["RUN_ID"]].append(r)
    assert set(got) == set(runs)
    for run, steps in runs.items():
        final = [s for s in steps if s["STEP"] == "PIPELINE"]
        want = {
            "STARTED_AT": min(s["STARTED_AT"] for s in steps),
            "FINISHED_AT": max(s["FINISHED_AT"] for s in steps),
            "STATUS": final[0]["STATUS"] if final else "RUNNING",
            "DURATION_SECONDS": final[0]["DURATION_SECONDS"] if final else None,
            "MODEL_VERSION": final[0]["MODEL_VERSION"] if final else None,
            "ROWS_REJECTED": sum(s["ROWS_REJECTED"] or 0 for s in steps if s["STEP"] == "FEATURE_ENGINEERING"),
            "ROWS_SCORED": sum(s["ROWS_PROCESSED"] or 0 for s in steps if s["STEP"] == "BATCH_INFERENCE"),
            "FAILED_STEPS": sum(1 for s in steps if s["STEP"] != "PIPELINE" and s["STATUS"] == "FAILED"),
            "MESSAGE": final[0]["MESSAGE"] if final else None,
        }
        row = {k: (int(v) if k in ("ROWS_REJECTED", "ROWS_SCORED", "FAILED_STEPS") and v is not None else v) for k, v in got[run].items()}
        assert {k: row[k] for k in want} == want, run


def test_pipeline_failed_alert_sees_only_the_recent_failure(loaded: Loaded) -> None:
    alert = next((a for a in loaded.declared.of_type(ALERT) if "PIPELINE_RUN_LOG" in a.inputs.get("condition", "")), None)
    if alert is None:
        pytest.skip(f"NOT CHECKED: {loaded.declared.stack} declares no pipeline-failure alert")
    # The first check, scheduled now: its window is the hour before, less the settle time.
    # R2 failed 10 minutes ago, R4 three days ago, R1 succeeded, R3 is still running.
    set_alert_clock(loaded.conn, loaded.now, None)
    assert sorted(r["RUN_ID"] for r in select(loaded.conn, alert.inputs["condition"])) == ["R2"]


def test_model_version_history_joins_the_gate_decision(loaded: Loaded) -> None:
    got = {r["MODEL_VERSION"]: r for r in loaded.rows("MODEL_VERSION_HISTORY", required=False)}
    decisions = {(g["RUN_ID"], g["CANDIDATE_VERSION"]): g for g in loaded.data["GATE_DECISIONS"]}
    assert set(got) == {m["MODEL_VERSION"] for m in loaded.data["MODEL_METRICS"]}
    for m in loaded.data["MODEL_METRICS"]:
        g = decisions.get((m["RUN_ID"], m["MODEL_VERSION"]))
        row = got[m["MODEL_VERSION"]]
        assert math.isclose(row["ROC_AUC"], m["ROC_AUC"])
        assert row["PROMOTED"] == (g["PROMOTED"] if g else None)
        assert row["GATE_REASON"] == (g["REASON"] if g else None)


def test_the_comparison_catches_a_wrong_view(declared_docs: dict[str, dict]) -> None:
    """Broken copies: a window one day too wide and churn counted wrong must be caught."""
    doc = copy.deepcopy(declared_docs["dev"])
    days = int(DeclaredStack.from_json(doc).setting("recentPredictionsDays"))
    for r in doc["resources"]:
        statement = r["inputs"].get("statement", "")
        if r["inputs"].get("name") == "RECENT_PREDICTIONS":
            assert f"-{days}," in statement
            r["inputs"]["statement"] = statement.replace(f"-{days},", f"-{days + 1},")
        if r["inputs"].get("name") == "PREDICTION_STATS":
            r["inputs"]["statement"] = statement.replace("PREDICTION = 1", "PREDICTION >= 0", 1)
    with load(DeclaredStack.from_json(doc)) as broken:
        with pytest.raises(AssertionError, match="RECENT_PREDICTIONS"):
            test_recent_predictions_is_the_configured_window(broken)
        with pytest.raises(AssertionError, match="CHURN_PREDICTIONS"):
            test_prediction_stats_per_day_and_version(broken)


def test_ml_snowflake_sql_runs_on_the_emulator(declared_docs: dict[str, dict]) -> None:
    """ml/'s statements run with bound parameters (qmark, as Session.sql(query, params)).

    SYSTEM$ functions (SYSTEM$TASK_RUNTIME_INFO) do not exist on the emulator: those
    statements are only parsed and resolved (test_sql_references.py)."""
    from ml_sql import load_module, ml_sql

    module = load_module()
    if module is None:
        pytest.skip("NOT CHECKED: ml/src/churn_ml/snowflake_sql.py does not exist yet")
    for stack in STACKS:
        declared = DeclaredStack.from_json(copy.deepcopy(declared_docs[stack]))
        with emulator(paramstyle="qmark") as conn:
            assert not create_stack(conn, declared)
            for text in ml_sql(declared, module):
                if "SYSTEM$" in text.sql.upper():
                    continue
                if text.sql.startswith("MERGE INTO"):
                    _check_sample_merge(conn, text.sql)
                    continue
                conn.cursor().execute(text.sql, ["X"] * text.sql.count("?"))


def _check_sample_merge(conn: Any, sql: str) -> None:
    """The sample loader's MERGE of bound rows (churn_ml.snowflake_sql.merge_new_customers)
    inserts the rows it is given, typed as the loader binds them, and only once."""
    from churn_ml.sample_data import generate_customers
    from churn_ml.snowpark_store import customer_bind_values

    rows = generate_customers(2, 1)
    params = customer_bind_values(rows)
    assert sql.count("?") == len(params), sql
    target = sql.split()[2]
    first = conn.cursor().execute(sql, params).fetchone()[0]
    again = conn.cursor().execute(sql, params).fetchone()[0]
    assert (first, again) == (2, 0), sql
    stored = conn.cursor().execute(
        f"SELECT CUSTOMER_ID, AGE, ACCOUNT_BALANCE, IS_ACTIVE_MEMBER FROM {target} ORDER BY CUSTOMER_ID").fetchall()
    expected = [(r.CUSTOMER_ID, int(r.AGE), float(r.ACCOUNT_BALANCE), bool(r.IS_ACTIVE_MEMBER))
                for r in rows.sort_values("CUSTOMER_ID").itertuples()]
    assert [(c, int(a), float(b), bool(m)) for c, a, b, m in stored] == expected
