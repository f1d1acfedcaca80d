"""The deploy job's hold of the task graph (.github/scripts/task_graph_hold.py) against a
scripted Snowflake cursor: which statements it sends, what it records, when it refuses."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".github" / "scripts"))

import task_graph_hold as hold  # noqa: E402

ROOT = '"PRD_ML_DB"."PIPELINES"."ML_RETRAINING_PIPELINE"'
OUTPUT = json.dumps({"rootTask": ROOT, "tasks": ["ML_RETRAINING_PIPELINE", "TRAINING_TASK"]})


class ScriptedCursor:
    """Answers SHOW TASKS with `state` and CURRENT_TASK_GRAPHS with the next count of `running`."""

    def __init__(self, state, running):
        self.state = state
        self.running = list(running)
        self.statements = []
        self._rows = []

    def execute(self, sql, params=None):
        self.statements.append(sql if params is None else (sql, params))
        if sql.startswith("SHOW TASKS"):
            self._rows = [] if self.state is None else [{"name": "ML_RETRAINING_PIPELINE", "state": self.state}]
        elif "CURRENT_TASK_GRAPHS" in sql:
            self._rows = [{"N": self.running.pop(0)}]
        else:
            self._rows = []

    def fetchall(self):
        return self._rows


def sql_only(cursor):
    return [s if isinstance(s, str) else s[0] for s in cursor.statements]


def test_started_graph_is_suspended_and_waited_for():
    cursor = ScriptedCursor("started", [1, 1, 0])
    recorded, slept = [], []
    code, was_started = hold.pause(cursor, OUTPUT, 45, record=recorded.append, sleep=slept.append)
    assert (code, was_started, recorded) == (0, True, [True])
    statements = sql_only(cursor)
    assert statements[0] == "SHOW TASKS LIKE 'ML_RETRAINING_PIPELINE' IN SCHEMA \"PRD_ML_DB\".\"PIPELINES\""
    assert statements[1] == f"ALTER TASK {ROOT} SUSPEND"
    assert statements.count(statements[2]) == 3 and "CURRENT_TASK_GRAPHS" in statements[2]
    assert cursor.statements[2][1] == ("ML_RETRAINING_PIPELINE", "PRD_ML_DB", "PIPELINES")
    assert slept == [hold.POLL_SECONDS, hold.POLL_SECONDS]


def test_suspended_graph_is_left_alone_but_a_manual_run_is_waited_for():
    cursor = ScriptedCursor("suspended", [1, 0])
    recorded = []
    code, was_started = hold.pause(cursor, OUTPUT, 45, record=recorded.append, sleep=lambda s: None)
    assert (code, was_started, recorded) == (0, False, [False])
    assert not any(s.startswith("ALTER TASK") for s in sql_only(cursor))


def test_a_run_that_outlasts_the_timeout_refuses_the_deploy_and_resumes_the_root(capsys):
    cursor = ScriptedCursor("started", [1] * 10)
    code, was_started = hold.pause(cursor, OUTPUT, 1, record=lambda s: None, sleep=lambda s: None)
    assert (code, was_started) == (1, True)
    assert sql_only(cursor)[-1] == f"ALTER TASK {ROOT} RESUME"
    assert "deploy refused" in capsys.readouterr().out


@pytest.mark.parametrize("output", ["", "  "])
def test_nothing_deployed_yet(output):
    cursor = ScriptedCursor("started", [])
    assert hold.pause(cursor, output, 45, record=lambda s: None) == (0, False)
    assert hold.resume(cursor, output, True) == 0
    assert cursor.statements == []


def test_missing_root_task_is_not_held():
    cursor = ScriptedCursor(None, [])
    recorded = []
    assert hold.pause(cursor, OUTPUT, 45, record=recorded.append) == (0, False)
    assert recorded == []


def test_resume_only_what_was_started():
    cursor = ScriptedCursor("suspended", [])
    assert hold.resume(cursor, OUTPUT, False) == 0
    assert cursor.statements == []
    assert hold.resume(cursor, OUTPUT, True) == 0
    assert cursor.statements == [f"ALTER TASK {ROOT} RESUME"]


def test_root_task_must_be_fully_qualified():
    with pytest.raises(ValueError, match="is not DATABASE.SCHEMA.TASK"):
        hold.root_parts(json.dumps({"rootTask": '"PIPELINES"."ML_RETRAINING_PIPELINE"'}))
