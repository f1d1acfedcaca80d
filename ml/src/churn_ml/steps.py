"""The pipeline steps, each a function over a Store returning a summary dict.

Every step writes one PIPELINE_RUN_LOG row (SUCCEEDED, SKIPPED or FAILED with
the error) and re-raises failures, so the task graph sees them. Steps hand
results to later steps only through the store (the run log's DETAILS), as
they run in separate stored-procedure calls in Snowflake.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from churn_ml import drift, gate, inference, interrupts, report
from churn_ml.csv_io import MALFORMED_LINES
from churn_ml.features import FEATURE_COLUMNS, build_features, snapshot_version
from churn_ml.registry import ChampionIncompatibleError, make_version_name
from churn_ml.schema import (
    DATA_QUALITY_RESULTS,
    GATE_DECISIONS,
    GRAPH_STEPS,
    MESSAGE_MAX,
    MODEL_METRICS,
    MODEL_NAME,
    PIPELINE_RUN_LOG,
    REASON_MAX,
    SCORE_BASELINE,
    STATUS_FAILED,
    STATUS_SKIPPED,
    STATUS_SUCCEEDED,
    STEP_FEATURES,
    STEP_GATE,
    STEP_INFERENCE,
    STEP_PIPELINE,
    STEP_START,
    STEP_TRAINING,
    TABLE_COLUMNS,
)
from churn_ml.store import Store
from churn_ml.training import predict_scores, split, train_models
from churn_ml.validation import ValidationResult, validate_customers

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Naive UTC, as TIMESTAMP_NTZ columns hold it."""
    return datetime.now(UTC).replace(tzinfo=None)


class StepError(RuntimeError):
    """A step cannot run because an earlier step of the run did not succeed."""


class RunIdReusedError(ValueError):
    """The run id belongs to a run that already finished; run ids are never reused."""


def _log_row(run_id: str, step: str, started: datetime, finished: datetime, seconds: float,
             summary: dict[str, Any]) -> pd.DataFrame:
    details = {k: v for k, v in summary.items() if k not in ("message",)}
    row = {
        "RUN_ID": run_id,
        "STEP": step,
        "STATUS": summary["status"],
        "STARTED_AT": started,
        "FINISHED_AT": finished,
        "DURATION_SECONDS": float(seconds),
        "ROWS_PROCESSED": summary.get("rows_processed"),
        "ROWS_REJECTED": summary.get("rows_rejected"),
        "MODEL_VERSION": summary.get("model_version"),
        "MESSAGE": str(summary.get("message", ""))[:MESSAGE_MAX],
        "DETAILS": json.dumps(details, default=str),
    }
    return pd.DataFrame([row], columns=list(TABLE_COLUMNS[PIPELINE_RUN_LOG]))


def _run_logged(store: Store, run_id: str, step: str, clock: Clock,
                body: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started, t0 = clock(), time.perf_counter()
    try:
        summary = {"status": STATUS_SUCCEEDED, **body()}
    except Exception as error:
        seconds = time.perf_counter() - t0
        failed = {"status": STATUS_FAILED, "message": f"{type(error).__name__}: {error}"}
        # A second Ctrl-C must not cost the FAILED row: it is held until the row is written.
        with interrupts.deferred():
            store.append_rows(PIPELINE_RUN_LOG, _log_row(run_id, step, started, clock(),
                                                         seconds, failed))
        raise
    seconds = time.perf_counter() - t0
    summary = {"run_id": run_id, "step": step, **summary, "seconds": round(seconds, 3)}
    with interrupts.deferred():
        store.append_rows(PIPELINE_RUN_LOG, _log_row(run_id, step, started, clock(), seconds,
                                                     summary))
    return summary


def _details_of(log: pd.DataFrame, step: str) -> dict[str, Any] | None:
    """DETAILS of the last SUCCEEDED row of ``step`` in a run log, or None."""
    rows = log[(log["STEP"] == step) & (log["STATUS"] == STATUS_SUCCEEDED)]
    if rows.empty:
        return None
    return json.loads(rows.iloc[-1]["DETAILS"])


def _required_details(store: Store, run_id: str, step: str) -> dict[str, Any]:
    details = _details_of(store.read_run_log(run_id), step)
    if details is None:
        raise StepError(f"step {step} has not succeeded in run {run_id}")
    return details


def _validated(store: Store, source_table: str) -> tuple[ValidationResult, int]:
    raw = store.read_customers(source_table)
    malformed = int(raw.attrs.get(MALFORMED_LINES, 0))
    result = validate_customers(raw)
    if result.valid.empty:
        raise ValueError(f"no valid rows in {source_table}: all {result.total_rows} rejected")
    return result, malformed


def ensure_run_id_unused(store: Store, run_id: str) -> None:
    """Refuse the id of a finished run (one with a PIPELINE row): its record stays its own.

    An unfinished run's id is accepted, so a task graph's retried START can go on.
    """
    log = store.read_run_log(run_id)
    if log.empty:
        return
    done = log[log["STEP"] == STEP_PIPELINE]
    if not done.empty:
        raise RunIdReusedError(
            f"run id {run_id!r} belongs to a run that finished at "
            f"{done.iloc[-1]['FINISHED_AT']} with status {done.iloc[-1]['STATUS']}; "
            f"run ids are never reused: pass a new --run-id or leave it out"
        )


def start_pipeline_run(store: Store, run_id: str, clock: Clock = utc_now) -> dict[str, Any]:
    ensure_run_id_unused(store, run_id)  # before anything is written under that id
    return _run_logged(store, run_id, STEP_START, clock,
                       lambda: {"message": "pipeline run started", "started_at": str(clock())})


def engineer_features(store: Store, run_id: str, source_table: str,
                      clock: Clock = utc_now) -> dict[str, Any]:
    """Validate CUSTOMERS, record data quality, stage this run's CUSTOMER_FEATURES rows.

    The rows are published to the feature view only when training on them succeeds,
    so a failed run never replaces the data the champion was trained on.
    """

    def body() -> dict[str, Any]:
        result, malformed = _validated(store, source_table)
        rejections = {**result.rejections, "malformed_line": malformed}
        total = result.total_rows + malformed
        checked = clock()
        quality = pd.DataFrame(
            {
                "RUN_ID": run_id,
                "CHECKED_AT": checked,
                "SOURCE_TABLE": source_table[:500],
                "CHECK_NAME": ["row_count", "rows_rejected", *rejections],
                "FAILED_ROWS": [0, result.rejected_rows + malformed, *rejections.values()],
                "TOTAL_ROWS": total,
            }
        )
        store.append_rows(DATA_QUALITY_RESULTS, quality)
        features = build_features(result.valid)
        version = store.stage_features(run_id, features, snapshot_version(features))
        return {
            "message": f"{len(features)} customers featurised for view version {version}",
            "rows_processed": total,
            "rows_rejected": result.rejected_rows + malformed,
            "rows_total": total,
            "feature_view_version": version,
            "rejections": {k: v for k, v in rejections.items() if v},
            "source_table": source_table,
        }

    return _run_logged(store, run_id, STEP_FEATURES, clock, body)


def train_and_register_model(store: Store, run_id: str,
                             clock: Clock = utc_now) -> dict[str, Any]:
    """Train on this run's feature view version; log a new, never-reused model version."""

    def body() -> dict[str, Any]:
        view_version = _required_details(store, run_id, STEP_FEATURES)["feature_view_version"]
        features = store.staged_features(run_id, view_version)
        result = train_models(features)
        trained_at = clock()
        version = make_version_name(trained_at, run_id)
        interval = gate.auc_interval(result.test_labels, result.test_scores)
        logged_metrics = {
            **result.metrics,
            "roc_auc_ci_low": interval.low,
            "roc_auc_ci_high": interval.high,
            "roc_auc_ci_confidence": gate.CONFIDENCE,
            "baseline_roc_auc": result.baseline_metrics["roc_auc"],
            "params": result.params,
            "feature_view_version": view_version,
            "run_id": run_id,
        }
        sample = features[list(FEATURE_COLUMNS)].astype(float).head(100)
        store.log_model(result.model, version, logged_metrics, sample)
        store.publish_features(run_id, view_version)
        m = result.metrics
        store.append_rows(MODEL_METRICS, pd.DataFrame([{
            "RUN_ID": run_id, "MODEL_NAME": MODEL_NAME, "MODEL_VERSION": version,
            "TRAINED_AT": trained_at, "ALGORITHM": result.algorithm,
            "TRAIN_ROWS": result.train_rows, "TEST_ROWS": result.test_rows,
            "ROC_AUC": m["roc_auc"], "PR_AUC": m["pr_auc"], "ACCURACY": m["accuracy"],
            "PRECISION": m["precision"], "RECALL": m["recall"], "F1": m["f1"],
            "BASELINE_ROC_AUC": result.baseline_metrics["roc_auc"],
            "FEATURE_VIEW_VERSION": view_version,
        }]))
        edges = drift.bin_edges()
        store.append_rows(SCORE_BASELINE, pd.DataFrame({
            "MODEL_NAME": MODEL_NAME,
            "MODEL_VERSION": version,
            "BIN_INDEX": np.arange(drift.BINS),
            "BIN_LOWER": [low for low, _ in edges],
            "BIN_UPPER": [high for _, high in edges],
            "EXPECTED_FRACTION": drift.score_baseline(result.test_scores),
        }))
        return {
            "message": f"logged {MODEL_NAME} version {version} (ROC AUC {m['roc_auc']:.4f})",
            "rows_processed": result.train_rows + result.test_rows,
            "model_version": version,
            "algorithm": result.algorithm,
            "metrics": result.metrics,
            "roc_auc_interval": [interval.low, interval.high],
            "params": result.params,
            "feature_importance": result.feature_importance,
            "baseline": result.baseline_metrics,
            "train_rows": result.train_rows,
            "test_rows": result.test_rows,
            "feature_view_version": view_version,
        }

    return _run_logged(store, run_id, STEP_TRAINING, clock, body)


def apply_validation_gate(store: Store, run_id: str, min_roc_auc: float,
                          max_auc_regression: float, clock: Clock = utc_now) -> dict[str, Any]:
    """Decide whether this run's candidate may become champion, and record why.

    The switch itself happens in ``score_customers``, together with the predictions
    made by the new champion: one unit, so no champion is ever left unscored.
    """

    def body() -> dict[str, Any]:
        candidate = _required_details(store, run_id, STEP_TRAINING)
        candidate_version = candidate["model_version"]
        # The held-out rows of this run's split, rebuilt from the feature view version:
        # challenger and champion are scored on the same rows.
        held_out = split(store.read_feature_view(candidate["feature_view_version"]))
        x, y = held_out.x_test, held_out.y_test
        candidate_scores = predict_scores(store.load_model(candidate_version), x)
        candidate_interval = gate.auc_interval(y, candidate_scores)
        champion = store.default_version()
        champion_interval = difference = champion_scores = None
        note = ""
        if champion is not None:
            try:
                champion_scores = predict_scores(store.load_model(champion), x)
            except ChampionIncompatibleError as error:
                note = f"champion {champion} cannot be loaded after a dependency change ({error})"
            else:
                champion_interval = gate.auc_interval(y, champion_scores)
                difference = gate.paired_difference(y, candidate_scores, champion_scores)
        decision = gate.decide(candidate_interval, min_roc_auc, max_auc_regression,
                               champion_interval, difference, note)
        promote, reason = decision.promote, decision.reason
        candidate_auc = candidate_interval.estimate
        champion_auc = champion_interval.estimate if champion_interval else None
        store.append_rows(GATE_DECISIONS, pd.DataFrame([{
            "RUN_ID": run_id, "MODEL_NAME": MODEL_NAME, "CANDIDATE_VERSION": candidate_version,
            "CHAMPION_VERSION_BEFORE": champion, "CANDIDATE_ROC_AUC": candidate_auc,
            "CHAMPION_ROC_AUC": champion_auc, "MIN_ROC_AUC": float(min_roc_auc),
            "MAX_AUC_REGRESSION": float(max_auc_regression), "PROMOTED": bool(promote),
            "REASON": reason[:REASON_MAX], "DECIDED_AT": clock(),
        }]))
        evaluation = report.evaluation(
            y, candidate_scores, champion_scores, candidate.get("feature_importance"),
            decision.record(), {"candidate": candidate_version, "champion": champion})
        store.save_evaluation(candidate_version, evaluation)
        return {
            "message": reason,
            "model_version": candidate_version,
            "promoted": promote,
            "reason": reason,
            "champion_before": champion,
            "champion_after": candidate_version if promote else champion,
            "candidate_roc_auc": candidate_auc,
            "champion_roc_auc": champion_auc,
            "decision": decision.record(),
            "evaluation": evaluation,
        }

    return _run_logged(store, run_id, STEP_GATE, clock, body)


def score_customers(store: Store, run_id: str, source_table: str,
                    clock: Clock = utc_now) -> dict[str, Any]:
    """Score valid customers with the champion this run's gate chose; commit both at once.

    When the gate promoted the candidate, the candidate scores and becomes the champion
    in the same ``commit_scoring``; otherwise the current champion scores.
    """

    def body() -> dict[str, Any]:
        decision = _details_of(store.read_run_log(run_id), STEP_GATE) or {}
        promote = decision["model_version"] if decision.get("promoted") else None
        champion = promote or store.default_version()
        if champion is None:
            return {"status": STATUS_SKIPPED, "message": "no champion model yet: nothing scored",
                    "predictions_written": 0}
        result, malformed = _validated(store, source_table)
        features = build_features(result.valid)
        scores = inference.score_features(store.load_model(champion), features)
        predictions = inference.build_predictions(
            features["CUSTOMER_ID"], scores, champion, run_id, clock()
        )
        # A signal during the commit is held until this step's SUCCEEDED row is written
        # (_run_logged), so the log never calls a committed scoring FAILED.
        with interrupts.held():
            written = store.commit_scoring(run_id, predictions, promote)
        baseline = store.read_score_baseline(champion)
        psi = drift.psi(baseline, scores) if baseline is not None else None
        return {
            "message": f"{written} predictions written with {champion}",
            "rows_processed": len(predictions),
            "rows_rejected": result.rejected_rows + malformed,
            "model_version": champion,
            "predictions_written": written,
            "promoted": promote,
            "psi": psi,
        }

    return _run_logged(store, run_id, STEP_INFERENCE, clock, body)


def finalize_pipeline_run(store: Store, run_id: str, clock: Clock = utc_now,
                          note: str | None = None) -> dict[str, Any]:
    """Record the run's outcome (STEP = 'PIPELINE'), whatever happened before.

    ``note`` adds to the message (e.g. that the run was interrupted).
    """
    log = store.read_run_log(run_id)
    finished = clock()
    steps: dict[str, dict[str, Any]] = {}
    for step in GRAPH_STEPS:
        rows = log[log["STEP"] == step]
        if rows.empty:
            steps[step] = {"status": STATUS_SKIPPED, "seconds": 0.0, "message": "did not run"}
        else:
            last = rows.iloc[-1]
            steps[step] = {"status": str(last["STATUS"]),
                           "seconds": round(float(last["DURATION_SECONDS"]), 3),
                           "message": str(last["MESSAGE"])}
    failed = [s for s, v in steps.items() if v["status"] == STATUS_FAILED]
    not_run = [s for s, v in steps.items() if v["message"] == "did not run"]
    status = STATUS_FAILED if failed or not_run else STATUS_SUCCEEDED
    features = _details_of(log, STEP_FEATURES) or {}
    training = _details_of(log, STEP_TRAINING) or {}
    decision = _details_of(log, STEP_GATE) or {}
    scoring = _details_of(log, STEP_INFERENCE) or {}
    started = pd.to_datetime(log["STARTED_AT"]).min() if len(log) else pd.Timestamp(finished)
    duration = max((pd.Timestamp(finished) - started).total_seconds(), 0.0)
    champion = store.default_version()
    message = (f"failed steps: {', '.join(failed)}" if failed else
               f"steps not run: {', '.join(not_run)}" if not_run else "all steps succeeded")
    summary: dict[str, Any] = {
        "run_id": run_id,
        "step": STEP_PIPELINE,
        "status": status,
        "message": f"{message}; {note}" if note else message,
        "started_at": str(started),
        "steps": steps,
        "rows_total": features.get("rows_total"),
        "rows_rejected": features.get("rows_rejected"),
        "rows_processed": features.get("rows_total"),
        "rejections": features.get("rejections", {}),
        "feature_view_version": features.get("feature_view_version"),
        "model_version": training.get("model_version"),
        "metrics": training.get("metrics"),
        "baseline": training.get("baseline"),
        # Promoted only once the switch committed with the scoring.
        "promoted": bool(decision.get("promoted")) and bool(scoring.get("promoted")),
        "reason": (decision.get("reason") or "gate did not run") + (
            "; champion not switched: the scoring that commits the switch did not complete"
            if decision.get("promoted") and not scoring.get("promoted") else ""),
        "champion_version": champion,
        "predictions_written": scoring.get("predictions_written", 0),
        "psi": scoring.get("psi"),
        "evaluation": decision.get("evaluation"),
        "duration_seconds": round(duration, 3),
    }
    with interrupts.deferred():
        store.append_rows(PIPELINE_RUN_LOG, _log_row(
            run_id, STEP_PIPELINE, started.to_pydatetime(), finished, duration, summary))
    return summary
