import ast
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from snowflake.connector.errors import ProgrammingError

from churn_ml import procedures, snowflake_sql
from churn_ml.schema import CUSTOMER_COLUMNS, PREDICTIONS, TABLE_COLUMNS, TABLE_SCHEMAS
from churn_ml.snowpark_store import SnowparkStore
from snowflake_wire import Result, Stages, Wire, wire_session
from table_server import TableServer

PACKAGE = Path(procedures.__file__).parent
ALLOWED_TOP_LEVEL = {"numpy", "pandas", "sklearn", "joblib", "snowflake", "churn_ml",
                     "matplotlib"}


class Account:
    """A real Snowpark session over scripted answers: the task graph's run id, the
    declared tables (rows kept by table_server), and the statements of write_pandas."""

    def __init__(self, root, run_id=None, runtime_info_error=None, customers=None):
        self.wire = Wire()
        stages = Stages(root / "stages")
        stages.attach(self.wire)
        self.tables = TableServer(stages)
        self.tables.attach(self.wire)
        for table, schema in TABLE_SCHEMAS.items():
            self.tables.tables[f"DEV_ML_DB.{schema}.{table}"] = pd.DataFrame(
                {c: [] for c in TABLE_COLUMNS[table]})
        if customers is not None:
            self.tables.tables["DEV_RAW_DB.PUBLIC.CUSTOMERS"] = customers
            self.tables.types["DEV_RAW_DB.PUBLIC.CUSTOMERS"] = {
                c: _KIND_OF[customers[c].dtype.kind] for c in customers.columns}
        answer = runtime_info_error or Result([("ID", "TEXT")], [(run_id,)])
        self.wire.on(r"TASK_RUNTIME_INFO", answer)
        self.wire.on(r"WHERE RUN_ID = \?", self.rows_of_run)
        self.session = wire_session(self.wire)

    def rows_of_run(self, query, params):
        """The bookkeeping SELECTs of snowflake_sql: columns FROM table WHERE RUN_ID = ?."""
        columns = [c.strip() for c in re.search(r"SELECT (.*?) FROM", query).group(1).split(",")]
        table = re.search(r"FROM (\S+)", query).group(1)
        rows = self.tables.tables[table]
        rows = rows[rows["RUN_ID"] == params[0]][columns]
        return Result([(c, "TEXT") for c in columns], [tuple(r) for r in rows.itertuples(False)])

    def table(self, table):
        return self.tables.tables[f"DEV_ML_DB.{TABLE_SCHEMAS[table]}.{table}"]


_KIND_OF = {"i": "NUMBER(38, 0)", "f": "REAL", "b": "BOOLEAN", "O": "TEXT", "M": "TIMESTAMP_NTZ"}


def test_run_id_from_task_graph(tmp_path):
    session = Account(tmp_path, run_id="GRAPH-RUN-1").session
    assert procedures.current_run_id(session) == "GRAPH-RUN-1"


def test_run_id_falls_back_to_uuid_outside_a_task(tmp_path):
    outside = ProgrammingError(msg="SYSTEM$TASK_RUNTIME_INFO can only be called from a task",
                               errno=2003, sqlstate="XX000")
    for account in (Account(tmp_path, run_id=None), Account(tmp_path, runtime_info_error=outside)):
        run_id = procedures.current_run_id(account.session)
        assert re.fullmatch(r"[0-9a-f]{32}", run_id)
        assert procedures.current_run_id(account.session) != run_id


def test_start_handler_returns_json_and_writes_run_log(tmp_path):
    account = Account(tmp_path, run_id="RUN-42")
    summary = json.loads(procedures.start_pipeline_run(account.session))
    assert summary["run_id"] == "RUN-42" and summary["status"] == "SUCCEEDED"
    copy = account.wire.sent(r"^COPY INTO")[-1]
    assert copy.startswith('COPY INTO "DEV_ML_DB"."PIPELINES"."PIPELINE_RUN_LOG"')
    assert not account.wire.sent(r"CREATE\s+TABLE") and not account.wire.sent(r"TRUNCATE")
    log = account.table("PIPELINE_RUN_LOG")
    assert list(log.columns) == list(TABLE_COLUMNS["PIPELINE_RUN_LOG"])
    assert log["RUN_ID"].tolist() == ["RUN-42"] and log["STATUS"].tolist() == ["SUCCEEDED"]


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


def test_engineer_features_handler_reads_source_table(tmp_path):
    customers = pd.DataFrame({c: pd.Series([], dtype=object) for c in CUSTOMER_COLUMNS})
    account = Account(tmp_path, run_id="RUN-1", customers=customers)
    with pytest.raises(ValueError, match="no rows"):
        procedures.engineer_features(account.session, "DEV_RAW_DB.PUBLIC.CUSTOMERS")
    assert account.wire.sent(r"FROM DEV_RAW_DB.PUBLIC.CUSTOMERS")
    failed = account.table("PIPELINE_RUN_LOG").iloc[-1]
    assert failed["STATUS"] == "FAILED" and "EmptyInputError" in failed["MESSAGE"]


def test_predictions_dedupe_through_sql(tmp_path):
    from datetime import datetime

    import numpy as np

    from churn_ml.inference import build_predictions

    account = Account(tmp_path)
    store = SnowparkStore(account.session)
    first = build_predictions(pd.Series(["1"]), np.array([0.2]), "V1", "R", datetime(2026, 1, 1))
    assert store.append_predictions(first) == 1
    rows = build_predictions(pd.Series(["1", "2"]), np.array([0.2, 0.7]), "V1", "R",
                             datetime(2026, 1, 1))
    assert store.append_predictions(rows) == 1
    assert account.wire.params[account.wire.queries.index(
        snowflake_sql.select_prediction_ids("DEV_ML_DB"))] == ["R"]
    stored = account.table(PREDICTIONS)
    assert stored["CUSTOMER_ID"].tolist() == ["1", "2"]
    assert account.wire.sent(r'^COPY INTO "DEV_ML_DB"."OUTPUT"."PREDICTIONS"')


def test_load_sample_customers_is_idempotent(tmp_path):
    target = "DEV_RAW_DB.PUBLIC.CUSTOMERS"
    account = Account(tmp_path, customers=pd.DataFrame({c: pd.Series([], dtype=object)
                                                         for c in CUSTOMER_COLUMNS}))
    first = json.loads(procedures.load_sample_customers(account.session, 50, 1, target))
    again = json.loads(procedures.load_sample_customers(account.session, 80, 1, target))
    assert first["rows_inserted"] == 50 and again["rows_inserted"] == 30
    stored = account.tables.tables[target]
    assert len(stored) == 80 and stored["CUSTOMER_ID"].is_unique
    assert len(account.wire.sent(r"^\s*MERGE\s+INTO DEV_RAW_DB.PUBLIC.CUSTOMERS")) == 2


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
    "interrupts", "state_files", "report",
}


def test_load_sample_customers_in_snowpark_local_testing_mode():
    """The same MERGE through Snowpark's own local emulator (local_testing), which runs
    DataFrame operations without a server (it has no SQL: the other tests use the wire)."""
    from snowflake.snowpark import Session

    from churn_ml.sample_data import generate_customers

    session = Session.builder.config("local_testing", True).create()
    try:
        target = "DEV_RAW_DB.PUBLIC.CUSTOMERS"
        session.create_dataframe(generate_customers(2, 1)).write.save_as_table(target)
        first = json.loads(procedures.load_sample_customers(session, 5, 1, target))
        again = json.loads(procedures.load_sample_customers(session, 8, 1, target))
        assert (first["rows_inserted"], again["rows_inserted"]) == (3, 3)
        stored = SnowparkStore(session, ml_db="DEV_ML_DB").read_customers(target)
        assert sorted(stored["CUSTOMER_ID"]) == sorted(generate_customers(8, 1)["CUSTOMER_ID"])
    finally:
        session.close()
