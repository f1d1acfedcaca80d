import json

import pytest

from churn_ml.csv_io import write_customers_csv
from churn_ml.local_run import main
from churn_ml.stack_config import StackConfigError, load_gate_config

REPORT_KEYS = {"run_id", "model_version", "champion_version", "metrics", "baseline", "promoted",
               "reason", "predictions_written", "rows_total", "rows_rejected", "rejections",
               "steps", "psi"}


def test_gate_config_from_stack_file(repo_root):
    config = load_gate_config(repo_root, "dev")
    assert config.min_roc_auc == 0.75 and config.max_auc_regression == 0.02


def test_missing_stack_file_or_key_is_named(repo_root):
    with pytest.raises(StackConfigError, match=r"Pulumi\.sit\.yaml"):
        load_gate_config(repo_root, "sit")
    (repo_root / "Pulumi.uat.yaml").write_text("config:\n  snowflake-mlops:minRocAuc: 0.8\n")
    missing = r"Pulumi\.uat\.yaml.*snowflake-mlops:maxAucRegression: missing"
    with pytest.raises(StackConfigError, match=missing):
        load_gate_config(repo_root, "uat")


def test_cli_generated_run_writes_report(repo_root, tmp_path, capsys):
    report_path = tmp_path / "report.json"
    state = tmp_path / "state"
    args = ["--generate", "3000", "--seed", "5", "--repo-root", str(repo_root),
            "--state", str(state), "--report", str(report_path)]
    assert main(args) == 0
    report = json.loads(report_path.read_text())
    assert set(report) >= REPORT_KEYS
    assert set(report["metrics"]) == {"roc_auc", "pr_auc", "accuracy", "precision", "recall",
                                      "f1"}
    assert report["steps"]["BATCH_INFERENCE"]["status"] == "SUCCEEDED"
    out = capsys.readouterr().out
    for step in ("START", "FEATURE_ENGINEERING", "TRAINING", "VALIDATION_GATE",
                 "BATCH_INFERENCE", "PIPELINE"):
        assert step in out
    assert main(args) == 0
    second = json.loads(report_path.read_text())
    assert second["model_version"] != report["model_version"]
    assert "champion" in second["reason"]


def test_cli_empty_csv_fails_with_report(repo_root, tmp_path, sample_customers):
    data = tmp_path / "empty.csv"
    write_customers_csv(sample_customers.head(0), data)
    report_path = tmp_path / "report.json"
    code = main(["--data", str(data), "--repo-root", str(repo_root),
                 "--state", str(tmp_path / "s"), "--report", str(report_path)])
    assert code == 1
    report = json.loads(report_path.read_text())
    assert report["steps"]["FEATURE_ENGINEERING"]["status"] == "FAILED"
    assert report["champion_version"] is None


def test_cli_missing_stack_file(tmp_path, capsys):
    assert main(["--generate", "10", "--repo-root", str(tmp_path)]) == 2
    assert "Pulumi.dev.yaml" in capsys.readouterr().err
