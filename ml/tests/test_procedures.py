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

    def __init__(self, root, run_id=None, runtime_info_error=None, customers=None,
                 owner_rights=False):
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
        if owner_rights:
            # Inside an owner's-rights procedure Snowflake refuses named temporary objects
            # (procedure-python-limitations); this is its answer (snowpark-python#512).
            self.wire.on(r"^\s*CREATE\s+(TEMP|TEMPORARY)\s", ProgrammingError(
                msg="Stored procedure execution error: Unsupported statement type "
                    "'temporary TABLE'.", errno=90236, sqlstate="42601"))
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


def _empty_customers():
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in CUSTOMER_COLUMNS})


def test_load_sample_customers_is_idempotent(tmp_path):
    """LOAD_SAMPLE_CUSTOMERS is EXECUTE AS OWNER (infra/snowflake/sampleData.ts), so the
    account refuses named temporary objects, as Snowflake does in such a procedure."""
    target = "DEV_RAW_DB.PUBLIC.CUSTOMERS"
    account = Account(tmp_path, customers=_empty_customers(), owner_rights=True)
    first = json.loads(procedures.load_sample_customers(account.session, 50, 1, target))
    again = json.loads(procedures.load_sample_customers(account.session, 80, 1, target))
    assert first["rows_inserted"] == 50 and again["rows_inserted"] == 30
    stored = account.tables.tables[target]
    assert len(stored) == 80 and stored["CUSTOMER_ID"].is_unique
    assert len(account.wire.sent(r"^MERGE INTO DEV_RAW_DB.PUBLIC.CUSTOMERS AS T")) == 2
    assert not account.wire.sent(r"^\s*CREATE\s")


def test_load_sample_customers_binds_typed_rows_in_chunks(tmp_path):
    from churn_ml.sample_data import generate_customers

    target = "DEV_RAW_DB.PUBLIC.CUSTOMERS"
    account = Account(tmp_path, customers=_empty_customers(), owner_rights=True)
    result = json.loads(procedures.load_sample_customers(account.session, 1100, 7, target))
    assert result["rows_inserted"] == 1100
    merges = account.wire.sent(r"^MERGE INTO")
    assert [q.count("?") for q in merges] == [500 * 14, 500 * 14, 100 * 14]
    stored = account.tables.tables[target].set_index("CUSTOMER_ID")
    expected = generate_customers(1100, 7).set_index("CUSTOMER_ID")
    assert list(stored.index) == list(expected.index)
    bound = account.wire.params[account.wire.queries.index(merges[0])]
    row = dict(zip(CUSTOMER_COLUMNS, bound[:14], strict=True))
    # What the connector can bind: Python scalars and datetime, no numpy or pandas types.
    assert {c: type(row[c]).__name__ for c in ("AGE", "HAS_CREDIT_CARD", "ACCOUNT_BALANCE",
                                                "CUSTOMER_ID", "LAST_UPDATED")} == {
        "AGE": "int", "HAS_CREDIT_CARD": "bool", "ACCOUNT_BALANCE": "float",
        "CUSTOMER_ID": "str", "LAST_UPDATED": "datetime"}
    assert row["ACCOUNT_BALANCE"] == expected.iloc[0]["ACCOUNT_BALANCE"]
    assert row["LAST_UPDATED"] == expected.iloc[0]["LAST_UPDATED"].to_pydatetime()


def test_dataframe_upload_is_refused_in_an_owners_rights_procedure(tmp_path):
    """What the loader did before: Session.create_dataframe(pandas) loads through a named
    temporary table, which an owner's-rights procedure may not create."""
    account = Account(tmp_path, owner_rights=True)
    with pytest.raises(ProgrammingError, match="Unsupported statement type"):
        account.session.create_dataframe(pd.DataFrame({"A": [1]}))


def test_sql_names_only_declared_tables_and_columns():
    declared = {f"DEV_ML_DB.{schema}.{t}" for t, schema in
                __import__("churn_ml.schema", fromlist=["x"]).TABLE_SCHEMAS.items()}
    declared.add("DEV_RAW_DB.PUBLIC.CUSTOMERS")
    columns = {c for cols in TABLE_COLUMNS.values() for c in cols} | set(CUSTOMER_COLUMNS)
    keywords = {"SELECT", "FROM", "WHERE", "AND", "ORDER", "BY", "TRUE", "SYSTEM", "MERGE",
                "AS", "USING", "VALUES", "ON", "WHEN", "NOT", "MATCHED", "THEN", "INSERT",
                "T", "S", "V"}
    for statement in snowflake_sql.all_statements("DEV_ML_DB", "DEV_RAW_DB")[1:]:
        tables = set(re.findall(r"(?:FROM|INTO)\s+([\w.]+)", statement)) - {"VALUES"}
        assert tables and tables <= declared, statement
        body = re.sub(r"(?:FROM|INTO)\s+[\w.]+", "", statement)
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
