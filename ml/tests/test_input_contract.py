"""One input contract for both layouts; unreadable input refused with one line (issue 14, 4-5)."""

from __future__ import annotations

import csv
import gzip
import json

import pytest

from churn_ml.csv_io import write_customers_csv
from churn_ml.datasets import VENDORED_PATH, load_bank_churn
from churn_ml.local_run import main
from churn_ml.validation import validate_customers

BANK_EDITS = [
    # (column, bad value, rule that rejects it)
    ("Tenure", "2.5", "non_numeric_TENURE_MONTHS"),
    ("Tenure", "two", "non_numeric_TENURE_MONTHS"),
    ("Tenure", "-1", "negative_tenure"),
    ("HasCrCard", "2", "invalid_boolean_HAS_CREDIT_CARD"),
    ("HasCrCard", "yes", "invalid_boolean_HAS_CREDIT_CARD"),
    ("IsActiveMember", "-1", "invalid_boolean_IS_ACTIVE_MEMBER"),
    ("CustomerId", "", "missing_customer_id"),
    ("Age", "41.0", "non_numeric_AGE"),
    ("Balance", "1e5", "non_numeric_ACCOUNT_BALANCE"),
    ("EstimatedSalary", "inf", "non_numeric_ESTIMATED_SALARY"),
    ("Exited", "", "null_TARGET_LABEL"),
]


def _bank_file(tmp_path, edits):
    rows = list(csv.reader(VENDORED_PATH.open()))
    index = {name: i for i, name in enumerate(rows[0])}
    for row, (column, value, _) in enumerate(edits, start=1):
        rows[row][index[column]] = value
    path = tmp_path / "bank.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows[:201])
    return path


def test_bank_layout_rejects_by_rule_and_never_coerces(tmp_path):
    result = validate_customers(load_bank_churn(_bank_file(tmp_path, BANK_EDITS)))
    expected: dict[str, int] = {}
    for _, _, rule in BANK_EDITS:
        expected[rule] = expected.get(rule, 0) + 1
    assert {k: v for k, v in result.rejections.items() if v} == expected
    assert result.rejected_rows == len(BANK_EDITS) and len(result.valid) == 200 - len(BANK_EDITS)


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("TENURE_MONTHS", "2.5", "non_numeric_TENURE_MONTHS"),
    ("HAS_CREDIT_CARD", "2", "invalid_boolean_HAS_CREDIT_CARD"),
    ("IS_ACTIVE_MEMBER", "-1", "invalid_boolean_IS_ACTIVE_MEMBER"),
    ("HAS_CREDIT_CARD", "1.0", "invalid_boolean_HAS_CREDIT_CARD"),
    ("AGE", "4e1", "non_numeric_AGE"),
    ("ESTIMATED_SALARY", "inf", "non_numeric_ESTIMATED_SALARY"),
    ("CUSTOMER_ID", " ", "missing_customer_id"),
])
def test_customers_layout_applies_the_same_rules(sample_customers, tmp_path, column, value,
                                                  rule):
    path = tmp_path / "c.csv"
    write_customers_csv(sample_customers.head(20), path)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    from churn_ml.csv_io import read_customers_csv

    result = validate_customers(read_customers_csv(path))
    assert result.rejections[rule] == 1 and result.rejected_rows == 1


def _unreadable(tmp_path):
    real = VENDORED_PATH.read_bytes()
    files = {
        "empty": (b"", "is empty (0 bytes)"),
        "gzip": (gzip.compress(real), "is gzip-compressed (gunzip it first)"),
        "latin-1": ("CustomerId,Surname\n1,Müller\n".encode("latin-1"), "is not UTF-8 text"),
        "semicolon": (real.replace(b",", b";"), "separates its header fields with semicolons"),
        "tabs": (real.replace(b",", b"\t"), "separates its header fields with tabs"),
        "no-columns": (b"a,b,c\n1,2,3\n", "missing CUSTOMERS column(s) CUSTOMER_ID"),
        "bank-missing": (b"CustomerId,Exited\n1,0\n", "lacks column(s) Surname"),
    }
    for name, (data, _) in files.items():
        (tmp_path / f"{name}.csv").write_bytes(data)
    return {name: (tmp_path / f"{name}.csv", found) for name, (_, found) in files.items()}


def test_unreadable_files_exit_2_with_one_line_and_a_failed_report(repo_root, tmp_path,
                                                                     capsys):
    report = tmp_path / "report.json"
    state = tmp_path / "state"
    for path, found in _unreadable(tmp_path).values():
        report.write_text(json.dumps({"status": "SUCCEEDED"}))  # an older run's report
        code = main(["--data", str(path), "--repo-root", str(repo_root), "--state", str(state),
                     "--report", str(report)])
        err = capsys.readouterr().err
        assert code == 2, path
        assert err.count("\n") == 1 and found in err and "Traceback" not in err, err
        assert "expected" in err
        written = json.loads(report.read_text())
        assert written["status"] == "FAILED" and found in written["errors"]["INPUT"]
        assert written["input"] == str(path.resolve())
    assert not state.exists()  # refused before the state was touched


def test_bad_generate_count_and_report_folder_are_refused_before_any_state_change(
        repo_root, tmp_path, capsys):
    state = tmp_path / "state"
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"status": "SUCCEEDED"}))
    assert main(["--generate", "-5", "--repo-root", str(repo_root), "--state", str(state),
                 "--report", str(report)]) == 2
    assert "--generate -5: allowed: a whole number of rows >= 1" in capsys.readouterr().err
    assert json.loads(report.read_text())["status"] == "FAILED"
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["--generate", "50", "--repo-root", str(repo_root), "--state", str(state),
                 "--report", str(folder)]) == 2
    assert f"--report {folder} is a folder" in capsys.readouterr().err
    assert not state.exists()


def test_yaml_syntax_error_in_stack_file_exits_2_naming_the_file(repo_root, tmp_path, capsys):
    (repo_root / "Pulumi.dev.yaml").write_text("config:\n  snowflake-mlops:minRocAuc: [0.7\n")
    report = tmp_path / "r.json"
    assert main(["--generate", "50", "--repo-root", str(repo_root), "--state",
                 str(tmp_path / "s"), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert "Pulumi.dev.yaml: YAML syntax error at line" in err and "Traceback" not in err
    assert json.loads(report.read_text())["errors"]["CONFIG"].startswith(str(repo_root))
