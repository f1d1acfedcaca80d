"""A real Snowpark Session over a scripted Snowflake *connection*.

Only the part that needs a server is simulated: the connector connection under
``snowflake.snowpark._internal.server_connection.ServerConnection``. Everything
above it is the real snowflake-snowpark-python 1.26.0 and snowflake-ml-python
1.7.2 (query building, result conversion, the Registry and Feature Store
logic), so the project's code meets the real libraries' behaviour.

Each answer is scripted in the shape Snowflake returns it: the result columns
(name and Snowflake type, which the connector reports in ``cursor.description``)
and the rows as tuples, including empty results (columns, no rows). A query no
answer matches raises ``UnexpectedQuery`` naming it, so a test lists every
statement the code sends; ``Wire.queries`` records them in order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd
from snowflake.connector.constants import FIELD_NAME_TO_ID
from snowflake.connector.cursor import ResultMetadata
from snowflake.connector.errors import NotSupportedError, ProgrammingError


class UnexpectedQuery(AssertionError):
    """The code sent a statement the test did not script."""


@dataclass
class Result:
    """One statement's answer: ``columns`` as (name, Snowflake type), ``rows`` as tuples."""

    columns: Sequence[tuple[str, str]]
    rows: Sequence[tuple] = ()

    def description(self) -> list[ResultMetadata]:
        return [
            ResultMetadata(name, FIELD_NAME_TO_ID[kind], None, None,
                           38 if kind == "FIXED" else None, 0, True)
            for name, kind in self.columns
        ]


# What Snowflake answers to DDL/DML: one status row.
STATUS = Result([("status", "TEXT")], [("Statement executed successfully.",)])

Answer = Result | Callable[[str, Any], Result] | Exception


@dataclass
class Wire:
    """Scripted answers by regular expression (first match wins, case-insensitive)."""

    answers: list[tuple[str, Answer]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    # Answers by query id, for statements that read an earlier result (RESULT_SCAN).
    results: dict[str, Result] = field(default_factory=dict)

    def on(self, pattern: str, answer: Answer) -> Wire:
        """Answer statements matching ``pattern``; a later ``on`` for it takes precedence."""
        self.answers.insert(0, (pattern, answer))
        return self

    def answer(self, query: str, params: Any) -> Result:
        self.queries.append(query)
        self.params.append(params)
        for pattern, answer in self.answers:
            if re.search(pattern, query, re.IGNORECASE | re.DOTALL):
                if isinstance(answer, Exception):
                    raise answer
                return answer(query, params) if callable(answer) else answer
        raise UnexpectedQuery(f"no scripted answer for: {query}")

    def sent(self, pattern: str) -> list[str]:
        return [q for q in self.queries if re.search(pattern, q, re.IGNORECASE | re.DOTALL)]


_query_ids = itertools.count(1)


class WireCursor:
    """The cursor calls Snowpark's ServerConnection makes (execute, fetch*, description)."""

    def __init__(self, connection: WireConnection):
        self.connection = connection
        self.sfqid: str | None = None
        self.description: list[ResultMetadata] = []
        self._rows: list[tuple] = []
        self._columns: list[str] = []

    def execute(self, command: str, params: Any = None, **_: Any) -> WireCursor:
        result = self.connection.wire.answer(command, params)
        self.sfqid = f"01b0-{next(_query_ids):06d}"
        self.connection.wire.results[self.sfqid] = result
        self._request_id = self.sfqid
        self.query = command
        self.description = result.description()
        self._columns = [name for name, _ in result.columns]
        self._rows = [tuple(r) for r in result.rows]
        return self

    def describe(self, command: str, *_: Any, **__: Any) -> list[ResultMetadata]:
        """The result columns of a query without its rows (Snowpark asks for schemas so)."""
        return self.connection.wire.answer(command, None).description()

    def fetchall(self) -> list[tuple]:
        return list(self._rows)

    def fetch_pandas_all(self, **_: Any) -> pd.DataFrame:
        # The connector fetches Arrow result batches only for SELECTs; SHOW output comes as
        # JSON and Snowpark falls back to fetchall() on NotSupportedError.
        if not self._columns:
            raise NotSupportedError("no result set")
        return pd.DataFrame.from_records(self._rows, columns=self._columns)

    def __iter__(self):
        return iter(self._rows)

    def close(self) -> None:
        pass

    def _log_telemetry_job_data(self, *_: Any) -> None:
        pass


class WireConnection:
    """Stands in for snowflake.connector.SnowflakeConnection (attributes Snowpark reads)."""

    def __init__(self, wire: Wire, database: str, schema: str, warehouse: str | None):
        self.wire = wire
        self._session_parameters: dict[str, Any] = {}
        self.session_id = 4242
        self.database, self.schema, self.warehouse = database, schema, warehouse
        self.role, self.account, self.user = "ML_DEV_ROLE", "TEST_ACCOUNT", "TEST_USER"
        self.host, self.port, self.application = "localhost", 443, "churn_ml_tests"
        self.telemetry_enabled = False
        self._telemetry = None

    def cursor(self) -> WireCursor:
        return WireCursor(self)

    def is_closed(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"WireConnection has no {name}")


def wire_session(wire: Wire, database: str = "DEV_ML_DB", schema: str = "PIPELINES",
                 warehouse: str | None = "DEV_WH_XS") -> Any:
    """A real ``snowflake.snowpark.Session`` whose statements are answered by ``wire``."""
    from snowflake.snowpark import Session
    from snowflake.snowpark._internal.server_connection import ServerConnection

    connection = WireConnection(wire, database, schema, warehouse)
    session = Session(ServerConnection({}, connection))
    return session


def not_found(message: str) -> ProgrammingError:
    """How the connector raises a Snowflake compilation error (e.g. object does not exist)."""
    return ProgrammingError(msg=message, errno=2003, sqlstate="02000")


class Stages:
    """Stage files kept in a folder: PUT copies a local file in, GET copies files out.

    The connector runs PUT/GET as statements whose answer lists the files moved; here
    the files move between the local path and ``root/<stage path>`` instead of cloud
    storage. Answers have the columns Snowflake returns for PUT and GET.
    """

    PUT_COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("source", "TEXT"), ("target", "TEXT"), ("source_size", "FIXED"), ("target_size", "FIXED"),
        ("source_compression", "TEXT"), ("target_compression", "TEXT"), ("status", "TEXT"),
        ("message", "TEXT")]
    GET_COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("file", "TEXT"), ("size", "FIXED"), ("status", "TEXT"), ("message", "TEXT")]

    def __init__(self, root: Any):
        from pathlib import Path

        self.root = Path(root)

    def _stage_dir(self, stage_path: str) -> Any:
        return self.root / stage_path.lstrip("@").replace('"', "").strip("/")

    def put(self, query: str, _params: Any) -> Result:
        import shutil
        from pathlib import Path

        match = re.search(r"PUT\s+(?:/\*.*?\*/\s*)?'file://([^']+)'\s+'?(@[^'\s]+)'?", query,
                          re.IGNORECASE)
        assert match, query
        source, target = Path(match.group(1)), self._stage_dir(match.group(2))
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / source.name)
        size = source.stat().st_size
        return Result(self.PUT_COLUMNS, [(source.name, source.name, size, size, "NONE", "NONE",
                                          "UPLOADED", "")])

    def get(self, query: str, _params: Any) -> Result:
        import shutil
        from pathlib import Path

        match = re.search(r"GET\s+'?(@[^'\s]+)'?\s+'file://([^']+)'", query, re.IGNORECASE)
        assert match, query
        source, target = self._stage_dir(match.group(1)), Path(match.group(2))
        target.mkdir(parents=True, exist_ok=True)
        files = [source] if source.is_file() else sorted(
            p for p in source.rglob("*") if p.is_file())
        rows = []
        for file in files:
            shutil.copy(file, target / file.name)
            rows.append((file.name, file.stat().st_size, "DOWNLOADED", ""))
        return Result(self.GET_COLUMNS, rows)

    def attach(self, wire: Wire) -> Wire:
        return wire.on(r"^\s*PUT\s", self.put).on(r"^\s*GET\s", self.get)
