import ast
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from churn_ml import procedures, snowflake_sql
from churn_ml.schema import CUSTOMER_COLUMNS, PREDICTIONS, TABLE_COLUMNS
from churn_ml.snowpark_store import SnowparkStore
from fakes import FakeSession

PACKAGE = Path(procedures.__file__).parent
ALLOWED_TOP_LEVEL = {"numpy", "pandas", "sklearn", "joblib", "snowflake", "churn_ml",
                     "matplotlib"}


def test_run_id_from_task_graph():
    assert procedures.current_run_id(FakeSession(task_run_id="GRAPH-RUN-1")) == "GRAPH-RUN-1"


def test_run_id_falls_back_to_uuid_outside_a_task():
    for session in (FakeSession(task_run_id=None), FakeSession(fail_runtime_info=True)):
        run_id = procedures.current_run_id(session)
        assert re.fullmatch(r"[0-9a-f]{32}", run_id)
    assert procedures.current_run_id(FakeSession()) != procedures.current_run_id(FakeSession())


def test_start_handler_returns_json_and_writes_run_log():
    session = FakeSession(task_run_id="RUN-42")
    summary = json.loads(procedures.start_pipeline_run(session))
    assert summary["run_id"] == "RUN-42" and summary["status"] == "SUCCEEDED"
    write = session.writes[0]
    assert write["table_name"] == "PIPELINE_RUN_LOG"
    assert write["database"] == "DEV_ML_DB" and write["schema"] == "PIPELINES"
    assert write["overwrite"] is False and write["auto_create_table"] is False
    assert list(write["df"].columns) == list(TABLE_COLUMNS["PIPELINE_RUN_LOG"])


def test_handler_signatures():
    import inspect

    expected = {
        "start_pipeline_run": ["session"],
        "engineer_features": ["session", "source_table"],
        "train_and_register_model": ["session"],
        "apply_validation_gate": ["session", "min_roc_auc", "max_auc_regression"],
        "score_customers": ["session", "source_table"],
        "finalize_pipeline_run": ["session"],
        "load_sample_customers": ["session", "row_count", "seed", "target_table"],
    }
    for name, params in expected.items():
        assert list(inspect.signature(getattr(procedures, name)).parameters) == params


def test_engineer_features_handler_reads_source_table(monkeypatch):
    customers = pd.DataFrame({c: [] for c in CUSTOMER_COLUMNS})
    session = FakeSession(task_run_id="RUN-1", frames={"DEV_RAW_DB.PUBLIC.CUSTOMERS": customers})
    with pytest.raises(ValueError, match="no rows"):
        procedures.engineer_features(session, "DEV_RAW_DB.PUBLIC.CUSTOMERS")
    failed = session.writes[-1]["df"].iloc[0]
    assert failed["STATUS"] == "FAILED" and "EmptyInputError" in failed["MESSAGE"]


def test_predictions_dedupe_through_sql():
    existing = pd.DataFrame({"CUSTOMER_ID": ["1"]})
    session = FakeSession(frames={"OUTPUT.PREDICTIONS": existing})
    store = SnowparkStore(session)
    from datetime import datetime

    import numpy as np

    from churn_ml.inference import build_predictions

    rows = build_predictions(pd.Series(["1", "2"]), np.array([0.2, 0.7]), "V1", "R",
                             datetime(2026, 1, 1))
    assert store.append_predictions(rows) == 1
    query, params = session.queries[-1]
    assert "DEV_ML_DB.OUTPUT.PREDICTIONS" in query and params == ["R"]
    write = session.writes[-1]
    assert write["table_name"] == PREDICTIONS and write["schema"] == "OUTPUT"
    assert write["df"]["CUSTOMER_ID"].tolist() == ["2"]


def test_sql_names_only_declared_tables_and_columns():
    declared = {f"DEV_ML_DB.{schema}.{t}" for t, schema in
                __import__("churn_ml.schema", fromlist=["x"]).TABLE_SCHEMAS.items()}
    columns = {c for cols in TABLE_COLUMNS.values() for c in cols}
    keywords = {"SELECT", "FROM", "WHERE", "AND", "ORDER", "BY", "TRUE", "SYSTEM"}
    for statement in snowflake_sql.all_statements("DEV_ML_DB")[1:]:
        tables = set(re.findall(r"FROM\s+([\w.]+)", statement))
        assert tables <= declared, statement
        body = re.sub(r"FROM\s+[\w.]+", "", statement)
        words = set(re.findall(r"\b[A-Z_][A-Z_0-9]*\b", body)) - keywords
        assert words <= columns, (statement, words - columns)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "churn_ml":
            found |= {f"churn_ml.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def transitive_modules() -> set[str]:
    seen, todo = set(), ["churn_ml.procedures"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = PACKAGE / (module.split(".", 1)[1].replace(".", "/") + ".py")
        for name in _imports(path):
            if name.startswith("churn_ml.") and name not in seen:
                todo.append(name)
            else:
                top = name.split(".")[0]
                assert top in ALLOWED_TOP_LEVEL or top in sys.stdlib_module_names, (module, name)
    return seen


def test_procedures_import_only_allowed_packages():
    modules = transitive_modules()
    assert "churn_ml.local_run" not in modules and "churn_ml.stack_config" not in modules
    assert modules == {f"churn_ml.{m}" for m in PROCEDURE_MODULES}


PROCEDURE_MODULES = {
    "procedures", "steps", "store", "snowpark_store", "snowflake_sql", "schema", "validation",
    "features", "training", "registry", "gate", "inference", "drift", "csv_io", "sample_data",
    "report",
}
