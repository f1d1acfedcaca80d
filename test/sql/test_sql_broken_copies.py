"""Deliberately broken copies of each stack's exported JSON must fail, naming the stack,
the resource and the wrong name. Tasks and procedures are synthesised when a stack does not
declare them, so the checker's behaviour is proven whatever has landed."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from declared import PROCEDURE_PYTHON, TASK, VIEW, DeclaredStack
from procedure_checks import check_procedure
from sql_references import Checker, SqlText, check_stack


def _doc(declared_docs: dict[str, dict], stack: str) -> dict[str, Any]:
    return copy.deepcopy(declared_docs[stack])


def _resources(doc: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r for r in doc["resources"] if r["type"] == type_]


def _ml_database(doc: dict[str, Any]) -> str:
    return next(r["inputs"]["database"] for r in doc["resources"] if r["type"] == VIEW)


def _ensure_pipeline(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A (procedure, task calling it) pair in the ML database; synthesised if none declared."""
    tasks = [t for t in _resources(doc, TASK) if re.search(r"\(\s*'", t["inputs"].get("sqlStatement", ""))]
    procedures = _resources(doc, PROCEDURE_PYTHON)
    if tasks and procedures:
        task = tasks[0]
        name = re.search(r'CALL\s+"[^"]+"\."[^"]+"\."([^"]+)"', task["inputs"]["sqlStatement"]).group(1)
        return next(p for p in procedures if p["inputs"]["name"] == name), task
    db = _ml_database(doc)
    procedure = {"type": PROCEDURE_PYTHON, "name": "synthetic-features", "inputs": {
        "database": db, "schema": "PIPELINES", "name": "ENGINEER_FEATURES", "handler": "run",
        "arguments": [{"argName": "SOURCE_TABLE", "argDataType": "VARCHAR"}],
        "packages": ["pandas==2.2.3"], "snowparkPackage": "1.26.0", "runtimeVersion": "3.11", "returnType": "VARCHAR",
        "procedureDefinition": "import pandas as pd\n\ndef run(session, source_table):\n    return str(pd.__version__)\n"}}
    view = _resources(doc, VIEW)[0]["inputs"]
    task = {"type": TASK, "name": "synthetic-features-task", "inputs": {
        "database": db, "schema": "PIPELINES", "name": "FEATURE_ENGINEERING_TASK",
        "sqlStatement": f'CALL "{db}"."PIPELINES"."ENGINEER_FEATURES"(\'"{view["database"]}"."{view["schema"]}"."{view["name"]}"\')'}}
    doc["resources"] += [procedure, task]
    return procedure, task


def _messages(doc: dict[str, Any]) -> list[str]:
    findings, _ = check_stack(DeclaredStack.from_json(doc))
    return [str(f) for f in findings]


def _assert_reported(messages: list[str], *parts: str) -> None:
    assert any(all(p in m for p in parts) for m in messages), f"expected a finding naming {parts}; got:\n" + "\n".join(messages)


def test_intact_copy_passes(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    _ensure_pipeline(doc)
    assert _messages(doc) == []


def test_view_with_misspelled_column(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    view = next(v for v in _resources(doc, VIEW) if "CONFIDENCE_SCORE" in v["inputs"]["statement"])
    view["inputs"]["statement"] = view["inputs"]["statement"].replace("CONFIDENCE_SCORE", "CONFIDENCE_SCOER", 1)
    _assert_reported(_messages(doc), f"{stack}:", view["name"], "CONFIDENCE_SCOER")


def test_view_naming_a_table_in_other_casing(declared_docs: dict[str, dict], stack: str) -> None:
    """Quoted names are case-sensitive: "Predictions" is not PREDICTIONS."""
    doc = _doc(declared_docs, stack)
    view = next(v for v in _resources(doc, VIEW) if '"PREDICTIONS"' in v["inputs"]["statement"])
    view["inputs"]["statement"] = view["inputs"]["statement"].replace('"PREDICTIONS"', '"Predictions"')
    _assert_reported(_messages(doc), f"{stack}:", view["name"], '"Predictions"')


def test_task_calling_a_procedure_that_does_not_exist(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    procedure, task = _ensure_pipeline(doc)
    name = procedure["inputs"]["name"]
    task["inputs"]["sqlStatement"] = task["inputs"]["sqlStatement"].replace(f'"{name}"', f'"{name}_V2"')
    _assert_reported(_messages(doc), f"{stack}:", task["name"], f"{name}_V2", "does not declare")


def test_task_calling_a_procedure_with_the_wrong_number_of_arguments(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    procedure, task = _ensure_pipeline(doc)
    task["inputs"]["sqlStatement"] = task["inputs"]["sqlStatement"].rstrip(")") + ", 42)"
    _assert_reported(_messages(doc), f"{stack}:", task["name"], procedure["inputs"]["name"], "argument")


def test_task_passing_a_table_that_does_not_exist(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    _, task = _ensure_pipeline(doc)
    statement = task["inputs"]["sqlStatement"]
    literal = re.search(r"'([^']+)'", statement).group(1)
    broken = literal[:-1] + "X"
    task["inputs"]["sqlStatement"] = statement.replace(literal, broken)
    _assert_reported(_messages(doc), f"{stack}:", task["name"], broken.split(".")[-1].strip('"'))


def test_task_after_a_task_that_does_not_exist(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    _, task = _ensure_pipeline(doc)
    db = task["inputs"]["database"]
    task["inputs"]["afters"] = [f'"{db}"."PIPELINES"."NO_SUCH_TASK"']
    _assert_reported(_messages(doc), f"{stack}:", task["name"], "NO_SUCH_TASK")


def test_procedure_handler_renamed(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    procedure, _ = _ensure_pipeline(doc)
    procedure["inputs"]["handler"] = procedure["inputs"]["handler"] + "_renamed"
    declared = DeclaredStack.from_json(doc)
    resource = next(r for r in declared.resources if r.name == procedure["name"])
    problems = check_procedure(resource)
    _assert_reported(problems, f"{stack}:", procedure["name"], procedure["inputs"]["handler"], "not a top-level function")


def test_procedure_importing_an_undeclared_package(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    procedure, _ = _ensure_pipeline(doc)
    procedure["inputs"]["packages"] = [p for p in procedure["inputs"]["packages"] if not p.startswith("pandas")]
    resource = next(r for r in DeclaredStack.from_json(doc).resources if r.name == procedure["name"])
    _assert_reported(check_procedure(resource), f"{stack}:", procedure["name"], "pandas")


def test_procedure_with_a_python_syntax_error(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    procedure, _ = _ensure_pipeline(doc)
    procedure["inputs"]["procedureDefinition"] += "\ndef broken(:\n    pass\n"
    resource = next(r for r in DeclaredStack.from_json(doc).resources if r.name == procedure["name"])
    _assert_reported(check_procedure(resource), f"{stack}:", procedure["name"], "does not compile")


def test_alert_condition_on_a_missing_column(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    alerts = [r for r in doc["resources"] if r["type"].endswith(":Alert")]
    if not alerts:
        alerts = [{"type": "snowflake:index/alert:Alert", "name": "synthetic-alert", "inputs": {
            "database": _ml_database(doc), "schema": "OUTPUT", "name": "SYNTHETIC_ALERT",
            "condition": f'SELECT 1 FROM "{_ml_database(doc)}"."OUTPUT"."PREDICTIONS" WHERE PREDICTION = 1', "action": "SELECT 1"}}]
        doc["resources"] += alerts
    alert = alerts[0]
    alert["inputs"]["condition"] += " AND NO_SUCH_COLUMN = 1"
    _assert_reported(_messages(doc), f"{stack}:", alert["name"], "NO_SUCH_COLUMN")


def test_ml_sql_with_a_misspelled_column(declared: DeclaredStack) -> None:
    db = next(r.inputs["database"] for r in declared.of_type(VIEW))
    checker = Checker(declared)
    checker.check_text(SqlText(declared.stack, f"{declared.stack}: ml/src/churn_ml/snowflake_sql.py", "select_prediction_ids()", "statement",
                               f"SELECT CUSTOMER_ID FROM {db}.OUTPUT.PREDICTIONS WHERE RUNID = ?"))
    _assert_reported([str(f) for f in checker.findings], f"{declared.stack}:", "snowflake_sql.py", "RUNID")


def test_alert_mailing_a_recipient_the_integration_does_not_allow(declared_docs: dict[str, dict], stack: str) -> None:
    doc = _doc(declared_docs, stack)
    alert = next((r for r in doc["resources"] if r["type"].endswith(":Alert") and "SYSTEM$SEND_EMAIL" in r["inputs"].get("action", "")), None)
    if alert is None:
        pytest.skip(f"NOT CHECKED: {stack} declares no alert sending email")
    action = alert["inputs"]["action"]
    alert["inputs"]["action"] = re.sub(r"SYSTEM\$SEND_EMAIL\('([^']+)', '", r"SYSTEM$SEND_EMAIL('\1', 'someone@elsewhere.example,", action, count=1)
    _assert_reported(_messages(doc), f"{stack}:", alert["name"], "someone@elsewhere.example")
    alert["inputs"]["action"] = action.replace("SYSTEM$SEND_EMAIL('", "SYSTEM$SEND_EMAIL('NO_SUCH_", 1)
    _assert_reported(_messages(doc), f"{stack}:", alert["name"], "NO_SUCH_")
