"""Every declared SQL text parses and every name in it resolves, per stack."""

from __future__ import annotations

import pytest
from declared import DYNAMIC_TABLE, TASK, VIEW, DeclaredStack
from ml_sql import MODULE_FILE, load_module, ml_sql
from sql_references import Checker, check_stack, declared_sql


def test_the_stack_declares_sql_to_check(declared: DeclaredStack) -> None:
    texts = declared_sql(declared)
    kinds = {t.origin.split(":", 1)[1].split()[0] for t in texts}
    assert "View" in kinds, f"{declared.stack}: no view statements collected: the exporter or the collector is broken"
    print(f"\n{declared.stack}: {len(texts)} SQL texts from {sorted(kinds)}")


def test_declared_sql_parses_and_resolves(declared: DeclaredStack) -> None:
    findings, unverified = check_stack(declared)
    for line in unverified:
        print(f"\nnot verified beyond parsing: {line}")
    assert not findings, "\n".join(str(f) for f in findings)


def test_views_expose_their_select_list(declared: DeclaredStack) -> None:
    """The derived columns of each view are what monitoring views and users select from."""
    Checker(declared)
    for view in declared.of_type(VIEW, DYNAMIC_TABLE):
        assert declared.columns[view.key], f"{view.label}: no output columns derived from its query"


def test_tasks_and_procedures_are_checked_once_declared(declared: DeclaredStack) -> None:
    tasks = declared.of_type(TASK)
    if not tasks:
        pytest.skip(f"{declared.stack}: no snowflake:index/task:Task declared yet; the checks pick tasks up by type when they land")
    assert all(t.inputs.get("sqlStatement") for t in tasks)


def test_ml_snowflake_sql_resolves(declared: DeclaredStack) -> None:
    module = load_module()
    if module is None:
        pytest.skip(f"NOT CHECKED: {MODULE_FILE.relative_to(MODULE_FILE.parents[3])} does not exist yet")
    texts = ml_sql(declared, module)
    assert texts, f"{MODULE_FILE}: no statements collected (no all_statements(), constants or builders)"
    checker = Checker(declared)
    for text in texts:
        checker.check_text(text)
    assert not checker.findings, "\n".join(str(f) for f in checker.findings)


def test_ml_writers_match_declared_columns(declared: DeclaredStack) -> None:
    """churn_ml.schema's table layouts (what the writers send) equal the declared tables'."""
    module = load_module()
    if module is None:
        pytest.skip("NOT CHECKED: ml/src/churn_ml/snowflake_sql.py does not exist yet")
    schema = __import__("churn_ml.schema", fromlist=["TABLE_COLUMNS"])
    from ml_sql import databases

    ml_db = databases(declared)["ml_db"]
    problems = []
    for table, columns in schema.TABLE_COLUMNS.items():
        key = (ml_db, schema.TABLE_SCHEMAS[table], table)
        declared_cols = declared.columns.get(key)
        if declared_cols is None:
            problems.append(f"{declared.stack}: churn_ml.schema names table {key}, which the stack does not declare")
        elif list(columns) != declared_cols:
            problems.append(f"{declared.stack}: {table}: churn_ml.schema columns {list(columns)} != declared {declared_cols}")
    assert not problems, "\n".join(problems)


def test_declared_sql_does_not_depend_on_the_session_time_zone(declared: DeclaredStack) -> None:
    from sql_references import session_time_zone_uses

    findings = session_time_zone_uses(declared)
    assert not findings, "\n".join(str(f) for f in findings)
