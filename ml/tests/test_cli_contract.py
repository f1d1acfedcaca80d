"""The local CLI's promises: config problems at once, bounded threads, real data everywhere,
reports and summaries a person can use (issue 14, 6 and 8-10)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from churn_ml.datasets import VENDORED_PATH
from churn_ml.local_run import BANK_COLUMNS, main, summary
from churn_ml.schema import CUSTOMER_COLUMNS
from churn_ml.stack_config import StackConfigError, load_gate_config
from state_checks import REPO_ROOT

README = (REPO_ROOT / "ml" / "README.md").read_text()


# 6. Stack file keys
def test_misspelt_stack_key_is_an_error_naming_the_declared_one(repo_root):
    (repo_root / "Pulumi.yaml").write_text((REPO_ROOT / "Pulumi.yaml").read_text())
    (repo_root / "Pulumi.dev.yaml").write_text(
        "config:\n  snowflake-mlops:minRocAuc: 0.8\n  snowflake-mlops:maxAucRegresion: 0.1\n"
        "  snowflake-mlops:recentPredictionDays: 14\n  snowflake:accountName: X\n")
    with pytest.raises(StackConfigError) as error:
        load_gate_config(repo_root, "dev")
    message = str(error.value)
    assert ("snowflake-mlops:maxAucRegresion: unknown key (did you mean "
            "snowflake-mlops:maxAucRegression?)") in message
    assert ("snowflake-mlops:recentPredictionDays: unknown key (did you mean "
            "snowflake-mlops:recentPredictionsDays?)") in message
    assert "snowflake:accountName" not in message  # other namespaces are not this project's


def test_gate_config_reports_every_problem_at_once(repo_root):
    (repo_root / "Pulumi.dev.yaml").write_text(
        "config:\n  snowflake-mlops:minRocAuc: high\n  snowflake-mlops:maxAucRegression: 2\n")
    with pytest.raises(StackConfigError) as error:
        load_gate_config(repo_root, "dev")
    message = str(error.value)
    assert "(2 problems)" in message
    assert "snowflake-mlops:minRocAuc: 'high' is not a number" in message
    assert "snowflake-mlops:maxAucRegression: 2.0 is out of range" in message


def test_repository_stack_files_pass(tmp_path):
    for stack in ("dev", "sit", "uat", "prd"):
        load_gate_config(REPO_ROOT, stack)


# 8. Threads bounded by default
def test_cli_bounds_threads_by_default(tmp_path):
    probe = (
        "import os, sys\n"
        "from threadpoolctl import threadpool_info\n"
        "import churn_ml.steps as steps\n"
        "seen = []\n"
        "original = steps.train_models\n"
        "def spy(features):\n"
        "    seen.extend(p['num_threads'] for p in threadpool_info())\n"
        "    return original(features)\n"
        "steps.train_models = spy\n"
        "from churn_ml.local_run import main\n"
        "code = main(sys.argv[1:])\n"
        "print('THREADS', os.environ['OMP_NUM_THREADS'], max(seen), code)\n"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", probe, "--generate", "300", "--repo-root",
                           str(REPO_ROOT), "--state", str(tmp_path / "s")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert re.search(r"^THREADS 1 1 [01]$", done.stdout, re.M), done.stdout + done.stderr


# 9. Real data ships with the repository; the CLI uses it by default
def test_default_input_is_the_vendored_real_data(tmp_path):
    report = tmp_path / "r.json"
    assert main(["--repo-root", str(REPO_ROOT), "--state", str(tmp_path / "s"),
                 "--report", str(report)]) == 0
    written = json.loads(report.read_text())
    assert written["input"] == str(VENDORED_PATH)
    assert written["rows_total"] == 10000 and written["rows_rejected"] == 0
    assert written["metrics"]["roc_auc"] >= 0.85


# 10. Reports and summaries
def test_report_has_input_gate_and_start_time(repo_root, tmp_path):
    report = tmp_path / "r.json"
    assert main(["--generate", "800", "--seed", "2", "--repo-root", str(repo_root),
                 "--state", str(tmp_path / "s"), "--report", str(report)]) == 0
    written = json.loads(report.read_text())
    assert written["input"] == "generated: 800 customers, seed 2"
    assert written["gate"] == {"min_roc_auc": 0.75, "max_auc_regression": 0.02}
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", written["started_at"])
    assert written["stack"] == "dev" and written["state"] == str((tmp_path / "s").resolve())


def test_failed_run_summary_prints_no_none(repo_root, tmp_path, sample_customers, capsys):
    data = tmp_path / "header-only.csv"
    from churn_ml.csv_io import write_customers_csv

    write_customers_csv(sample_customers.head(0), data)
    assert main(["--data", str(data), "--repo-root", str(repo_root), "--state",
                 str(tmp_path / "s"), "--report", str(tmp_path / "r.json")]) == 1
    out = capsys.readouterr().out
    assert "None" not in out.split("report:")[0]
    assert "error in FEATURE_ENGINEERING: EmptyInputError" in out
    text = summary({"run_id": "x", "status": "FAILED", "errors": {"INPUT": "bad"},
                    "steps": {}})
    assert "None" not in text and "refused before any step ran" in text


def test_default_state_is_separate_per_stack(repo_root, tmp_path):
    lenient = "config:\n  snowflake-mlops:minRocAuc: 0.5\n  snowflake-mlops:maxAucRegression: 0.5\n"
    for stack in ("dev", "sit"):
        (repo_root / f"Pulumi.{stack}.yaml").write_text(lenient)
    for stack in ("dev", "sit"):
        assert main(["--generate", "600", "--stack", stack, "--repo-root",
                     str(repo_root), "--report", str(tmp_path / f"{stack}.json")]) == 0
    dev = json.loads((tmp_path / "dev.json").read_text())
    sit = json.loads((tmp_path / "sit.json").read_text())
    assert dev["state"] == str(repo_root / ".pipeline-state" / "dev")
    assert sit["state"] == str(repo_root / ".pipeline-state" / "sit")
    assert sit["champion_version"] == sit["model_version"] != dev["champion_version"]


def test_readme_lists_the_columns_data_needs():
    for column in (*CUSTOMER_COLUMNS, *BANK_COLUMNS):
        assert f"`{column}`" in README, column


def test_readme_examples_write_nothing_into_the_repository_root():
    ignored = (REPO_ROOT / ".gitignore").read_text().split()
    for text in (README, (REPO_ROOT / "README.md").read_text()):
        for path in re.findall(r"--(?:report|state) (\S+?)[`\s]", text):
            if path.isupper():
                continue  # a placeholder such as JSON or DIR
            top = path.split("/")[0]
            assert "/" in path and (f"{top}/" in ignored or top.startswith("/tmp")), path
