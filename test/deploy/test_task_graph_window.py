"""tools/task_graph_window.py: what it says to Snowflake around a deploy, on a fake cursor
that answers like Snowflake (SHOW TASKS rows, CURRENT_TASK_GRAPHS counts, errors for a
missing schema)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import task_graph_window as window  # noqa: E402


class FakeCursor:
    def __init__(self, exists: bool = True, executing: list[int] | None = None, schema_missing: bool = False):
        self.exists, self.executing, self.schema_missing = exists, list(executing or [0]), schema_missing
        self.sql: list[str] = []
        self._result: list[tuple[Any, ...]] = []

    def execute(self, sql: str) -> None:
        self.sql.append(sql)
        if sql.startswith("SHOW TASKS"):
            if self.schema_missing:
                raise RuntimeError("002003 (02000): Schema 'PRD_ML_DB.PIPELINES' does not exist or not authorized.")
            self._result = [("ML_RETRAINING_PIPELINE",)] if self.exists else []
        elif "CURRENT_TASK_GRAPHS" in sql:
            self._result = [(self.executing.pop(0) if len(self.executing) > 1 else self.executing[0],)]
        else:
            self._result = []

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._result

    def fetchone(self) -> tuple[Any, ...]:
        return self._result[0]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


ROOT = '"PRD_ML_DB"."PIPELINES"."ML_RETRAINING_PIPELINE"'


def test_the_stack_files_say_where_the_graph_is_and_whether_it_runs() -> None:
    prd, dev = window.read_graph("prd"), window.read_graph("dev")
    assert (prd.root, prd.started, prd.task_timeout_minutes) == (ROOT, True, 60)
    assert (dev.root, dev.started) == ('"DEV_ML_DB"."PIPELINES"."ML_RETRAINING_PIPELINE"', False)


def test_pause_suspends_the_root_then_waits_for_the_running_graph() -> None:
    cursor, clock = FakeCursor(executing=[1, 1, 0]), FakeClock()
    assert window.pause(cursor, window.read_graph("prd"), 600, sleep=clock.sleep, clock=clock)
    assert cursor.sql[1] == f"ALTER TASK {ROOT} SUSPEND"
    polls = [s for s in cursor.sql if "CURRENT_TASK_GRAPHS" in s]
    assert len(polls) == 3
    assert "ROOT_TASK_NAME => 'ML_RETRAINING_PIPELINE'" in polls[0] and "STATE = 'EXECUTING'" in polls[0]
    assert clock.slept == [window.POLL_SECONDS, window.POLL_SECONDS]
    assert not any("RESUME" in s for s in cursor.sql)


def test_pause_gives_up_at_the_deadline_and_leaves_the_root_suspended() -> None:
    cursor, clock = FakeCursor(executing=[1]), FakeClock()
    assert not window.pause(cursor, window.read_graph("prd"), 90, sleep=clock.sleep, clock=clock)
    assert clock.now >= 90
    assert f"ALTER TASK {ROOT} SUSPEND" in cursor.sql
    assert not any("RESUME" in s for s in cursor.sql)


def test_resume_only_where_the_graph_runs_on_its_schedule() -> None:
    prd = FakeCursor()
    window.resume(prd, window.read_graph("prd"))
    assert prd.sql[-1] == f"ALTER TASK {ROOT} RESUME"
    uat = FakeCursor()
    window.resume(uat, window.read_graph("uat"))
    assert not any(s.startswith("ALTER TASK") for s in uat.sql)


@pytest.mark.parametrize("cursor", [FakeCursor(exists=False), FakeCursor(schema_missing=True)])
def test_first_deploy_no_graph_yet_nothing_to_do(cursor: FakeCursor) -> None:
    graph = window.read_graph("prd")
    assert window.pause(cursor, graph, 60, sleep=lambda s: None, clock=lambda: 0.0)
    window.resume(cursor, graph)
    assert all(s.startswith("SHOW TASKS") for s in cursor.sql)


def test_main_exit_codes_and_default_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    class Conn:
        def __init__(self, cursor: FakeCursor):
            self._cursor, self.closed = cursor, False

        def cursor(self) -> FakeCursor:
            return self._cursor

        def close(self) -> None:
            self.closed = True

    waits: list[float] = []
    monkeypatch.setattr(window, "pause", lambda cursor, graph, wait: waits.append(wait) or False)
    conn = Conn(FakeCursor())
    assert window.main(["pause", "--stack", "prd"], connector=lambda g: conn) == 1
    assert waits == [(60 + 10) * 60] and conn.closed
    assert window.main(["resume", "--stack", "prd"], connector=lambda g: Conn(FakeCursor())) == 0
    with pytest.raises(SystemExit):
        window.main(["pause", "--stack", "qa"], connector=lambda g: conn)
