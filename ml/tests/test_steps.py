import json

import pytest

from churn_ml import steps
from churn_ml.schema import DATA_QUALITY_RESULTS, GATE_DECISIONS, MODEL_METRICS, SCORE_BASELINE
from churn_ml.store import LocalStore
from churn_ml.validation import SchemaError

SOURCE = "RAW.PUBLIC.CUSTOMERS"


@pytest.fixture
def store(tmp_path, sample_customers):
    return LocalStore(tmp_path / "state", sources={SOURCE: sample_customers})


def _run_all(store, run_id, min_auc=0.6, margin=0.02):
    steps.start_pipeline_run(store, run_id)
    steps.engineer_features(store, run_id, SOURCE)
    steps.train_and_register_model(store, run_id)
    steps.apply_validation_gate(store, run_id, min_auc, margin)
    steps.score_customers(store, run_id, SOURCE)
    return steps.finalize_pipeline_run(store, run_id)


def test_each_step_summarises_and_logs(store, sample_customers):
    start = steps.start_pipeline_run(store, "r1")
    assert start["status"] == "SUCCEEDED" and start["step"] == "START"
    fe = steps.engineer_features(store, "r1", SOURCE)
    assert fe["rows_total"] == len(sample_customers) and fe["rows_rejected"] == 0
    assert (store.root / "feature_store" / "entities.json").exists()
    quality = store.read_table(DATA_QUALITY_RESULTS)
    assert set(quality["RUN_ID"]) == {"r1"} and "row_count" in set(quality["CHECK_NAME"])
    tr = steps.train_and_register_model(store, "r1")
    assert tr["model_version"] in store.model_versions()
    assert set(tr["metrics"]) == {"roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1"}
    assert len(store.read_table(MODEL_METRICS)) == 1
    assert len(store.read_score_baseline(tr["model_version"])) == 10
    assert len(store.read_table(SCORE_BASELINE)) == 10
    gate = steps.apply_validation_gate(store, "r1", 0.6, 0.02)
    # The gate decides; the switch commits with the scoring by the new champion.
    assert gate["promoted"] and store.default_version() is None
    assert bool(store.read_table(GATE_DECISIONS)["PROMOTED"].iloc[0])
    scored = steps.score_customers(store, "r1", SOURCE)
    assert store.default_version() == tr["model_version"]
    assert set(store.read_predictions()["MODEL_VERSION"]) == {tr["model_version"]}
    assert scored["predictions_written"] == len(sample_customers)
    assert scored["psi"] is not None and scored["psi"] < 0.1
    final = steps.finalize_pipeline_run(store, "r1")
    assert final["status"] == "SUCCEEDED"
    assert final["model_version"] == tr["model_version"] == final["champion_version"]
    log = store.read_run_log("r1")
    assert log["STEP"].tolist() == ["START", "FEATURE_ENGINEERING", "TRAINING",
                                    "VALIDATION_GATE", "BATCH_INFERENCE", "PIPELINE"]
    details = json.loads(log["DETAILS"].iloc[-1])
    assert details["steps"]["TRAINING"]["status"] == "SUCCEEDED"


def test_two_runs_give_two_versions_and_rerun_does_not_duplicate(store, sample_customers):
    first = _run_all(store, "run-aaaaaa")
    second = _run_all(store, "run-bbbbbb")
    assert first["model_version"] != second["model_version"]
    assert len(store.model_versions()) == 2
    again = steps.score_customers(store, "run-bbbbbb", SOURCE)
    assert again["predictions_written"] == 0
    assert len(store.read_predictions()) == 2 * len(sample_customers)


def test_training_requires_feature_step(store):
    with pytest.raises(steps.StepError):
        steps.train_and_register_model(store, "lonely")
    final = steps.finalize_pipeline_run(store, "lonely")
    assert final["status"] == "FAILED"
    assert final["steps"]["TRAINING"]["status"] == "FAILED"
    assert final["steps"]["START"]["status"] == "SKIPPED"


def test_failed_step_leaves_champion(tmp_path, sample_customers):
    store = LocalStore(tmp_path, sources={SOURCE: sample_customers,
                                          "BROKEN": sample_customers.drop(columns=["AGE"])})
    _run_all(store, "good-111111")
    champion = store.default_version()
    steps.start_pipeline_run(store, "bad")
    with pytest.raises(SchemaError, match="AGE"):
        steps.engineer_features(store, "bad", "BROKEN")
    final = steps.finalize_pipeline_run(store, "bad")
    assert final["status"] == "FAILED" and "AGE" in final["steps"]["FEATURE_ENGINEERING"][
        "message"]
    assert store.default_version() == champion


def test_inference_without_champion_is_skipped(store):
    summary = steps.score_customers(store, "r0", SOURCE)
    assert summary["status"] == "SKIPPED" and summary["predictions_written"] == 0


def test_gate_refusal_keeps_champion(store):
    _run_all(store, "run-cccccc")
    champion = store.default_version()
    steps.start_pipeline_run(store, "run-dddddd")
    steps.engineer_features(store, "run-dddddd", SOURCE)
    steps.train_and_register_model(store, "run-dddddd")
    refused = steps.apply_validation_gate(store, "run-dddddd", 0.99, 0.0)
    assert not refused["promoted"] and "below the minimum" in refused["reason"]
    assert store.default_version() == champion
