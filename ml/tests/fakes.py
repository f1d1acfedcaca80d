"""A tiny stand-in for a Snowpark session (only what the code under test calls)."""

from __future__ import annotations

from typing import Any

import pandas as pd


class FakeResult:
    def __init__(self, rows: list[tuple], frame: pd.DataFrame | None = None):
        self.rows, self.frame = rows, frame

    def collect(self) -> list[tuple]:
        return self.rows

    def to_pandas(self) -> pd.DataFrame:
        return self.frame if self.frame is not None else pd.DataFrame()


class FakeSession:
    def __init__(self, task_run_id: str | None = None, fail_runtime_info: bool = False,
                 frames: dict[str, pd.DataFrame] | None = None):
        self.task_run_id = task_run_id
        self.fail_runtime_info = fail_runtime_info
        self.frames = frames or {}
        self.queries: list[tuple[str, Any]] = []
        self.writes: list[dict[str, Any]] = []

    def get_current_database(self) -> str:
        return '"DEV_ML_DB"'

    def get_current_warehouse(self) -> str:
        return '"DEV_WH_XS"'

    def sql(self, query: str, params: list[Any] | None = None) -> FakeResult:
        self.queries.append((query, params))
        if "TASK_RUNTIME_INFO" in query:
            if self.fail_runtime_info:
                raise RuntimeError("not running in a task")
            return FakeResult([(self.task_run_id,)])
        for marker, frame in self.frames.items():
            if marker in query:
                return FakeResult([], frame)
        return FakeResult([], pd.DataFrame())

    def table(self, name: str) -> FakeResult:
        return FakeResult([], self.frames[name])

    def write_pandas(self, df: pd.DataFrame, table_name: str, **kwargs: Any) -> None:
        self.writes.append({"df": df.copy(), "table_name": table_name, **kwargs})
