"""Snowflake's side of write_pandas and of simple reads, for tests over snowflake_wire.

The connector's write_pandas (snowflake/connector/pandas_tools.py, 3.12.4) uploads a
Parquet file to a temporary stage, asks INFER_SCHEMA for the column types, creates the
table, runs COPY INTO, and for overwrite=True renames a fresh table over the old one.
This answers those statements and keeps each table's rows (as pandas frames), so a test
can read what the code wrote. The sample loader's MERGE of bound VALUES is answered too.
Reads are answered for ``SELECT <columns> FROM <table>
[ORDER BY <column>]`` as Snowpark generates them, and anything else is left unscripted.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from snowflake.connector.errors import ProgrammingError

from snowflake_wire import STATUS, Result, Stages, UnexpectedQuery, Wire, not_found

_TYPES = {"i": "NUMBER(38, 0)", "u": "NUMBER(38, 0)", "f": "REAL", "b": "BOOLEAN",
          "O": "TEXT", "M": "TIMESTAMP_NTZ"}
_KINDS = {"NUMBER(38, 0)": "FIXED", "REAL": "REAL", "BOOLEAN": "BOOLEAN", "TEXT": "TEXT",
          "TIMESTAMP_NTZ": "TIMESTAMP_NTZ"}


def _append(rows: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return more.reset_index(drop=True)
    return pd.concat([rows, more], ignore_index=True)


def _name(location: str) -> str:
    """DB.SCHEMA.TABLE with quotes removed: the key a table is kept under."""
    return location.replace('"', "").upper()


class TableServer:
    def __init__(self, stages: Stages):
        self.stages = stages
        self.tables: dict[str, pd.DataFrame] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.views: dict[str, str] = {}  # name -> its SELECT, evaluated when read

    def attach(self, wire: Wire) -> Wire:
        return (
            wire.on(r"^CREATE TEMP (STAGE|FILE FORMAT)", STATUS)
            .on(r"infer_schema\(location=>'(@[^']+)'", self.infer_schema)
            .on(r"^CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE IF NOT EXISTS", self.create)
            .on(r"^COPY INTO", self.copy_into)
            .on(r"^\s*MERGE\s+INTO", self.merge)
            .on(r"^DROP TABLE IF EXISTS", self.drop)
            .on(r"^ALTER TABLE \S+ RENAME TO", self.rename)
            .on(r"^\s*SELECT\s+(\*|\"[^()]*)\s+FROM\s+(\(\s*SELECT|[\w\".$]+)", self.select)
        )

    def _parquet(self, stage: str) -> pd.DataFrame:
        folder = self.stages._stage_dir(stage)
        return pd.concat([pd.read_parquet(f) for f in sorted(folder.iterdir())],
                         ignore_index=True)

    def infer_schema(self, query: str, _p: Any) -> Result:
        stage = re.search(r"location=>'(@[^']+)'", query).group(1)
        frame = self._parquet(stage)
        rows = [(c, _TYPES[frame[c].dtype.kind]) for c in frame.columns]
        return Result([("COLUMN_NAME", "TEXT"), ("TYPE", "TEXT")], rows)

    def create(self, query: str, _p: Any) -> Result:
        m = re.search(r"TABLE IF NOT EXISTS (\S+) \((.*)\)", query)
        name = _name(m.group(1))
        columns = re.findall(r'"([^"]+)" ([A-Z_]+(?:\(\d+, \d+\))?)', m.group(2))
        self.types[name] = dict(columns)
        self.tables.setdefault(name, pd.DataFrame({c: [] for c, _ in columns}))
        return STATUS

    def copy_into(self, query: str, _p: Any) -> Result:
        name = _name(re.search(r"^COPY INTO (\S+)", query).group(1))
        stage = re.search(r"FROM (@\S+?)\)", query).group(1)
        loaded = self._parquet(stage)
        self.tables[name] = _append(self.tables[name], loaded)
        return Result([("file", "TEXT"), ("status", "TEXT"), ("rows_parsed", "FIXED"),
                       ("rows_loaded", "FIXED")],
                      [("file0.txt", "LOADED", len(loaded), len(loaded))])

    def merge(self, query: str, params: list[Any]) -> Result:
        """MERGE INTO t AS T USING (SELECT * FROM (VALUES (?, ...), ...) AS V (cols)) AS S
        ON T.k = S.k WHEN NOT MATCHED THEN INSERT (cols) VALUES (S.cols): the sample
        loader's statement (churn_ml.snowflake_sql.merge_new_customers), rows bound."""
        m = re.search(r"^MERGE INTO (\S+) AS T USING .*\) AS V \(([^)]*)\)\) AS S "
                      r"ON T\.(\w+) = S\.(\w+) WHEN NOT MATCHED THEN INSERT \(([^)]*)\) "
                      r"VALUES \(([^)]*)\)$", query, re.DOTALL)
        if not m:
            raise UnexpectedQuery(f"not a scripted MERGE ... VALUES form: {query}")
        target, names, key, source_key, columns, values = m.groups()
        names = [c.strip() for c in names.split(",")]
        rows = [params[i:i + len(names)] for i in range(0, len(params), len(names))]
        if query.count("?") != len(params) or len(params) % len(names):
            raise ProgrammingError(msg="Bind variable count does not match", errno=1002,
                                   sqlstate="07001")
        incoming = pd.DataFrame(rows, columns=names, dtype=object)
        existing = self.tables[_name(target)]
        new = incoming[~incoming[source_key].isin(existing[key])]
        sources = [v.strip().removeprefix("S.") for v in values.split(",")]
        inserted = pd.DataFrame({c.strip(): new[v].to_numpy()
                                 for c, v in zip(columns.split(","), sources, strict=True)})
        self.tables[_name(target)] = _append(existing, inserted)
        return Result([("number of rows inserted", "FIXED")], [(len(inserted),)])

    def drop(self, query: str, _p: Any) -> Result:
        name = _name(re.search(r"DROP TABLE IF EXISTS (\S+)", query).group(1))
        self.tables.pop(name, None)
        return STATUS

    def rename(self, query: str, _p: Any) -> Result:
        m = re.search(r"ALTER TABLE (\S+) RENAME TO (\S+)", query)
        old, new = _name(m.group(1)), _name(m.group(2))
        self.tables[new] = self.tables.pop(old)
        self.types[new] = self.types.pop(old)
        return STATUS

    def _evaluate(self, query: str) -> tuple[pd.DataFrame, dict[str, str]]:
        """``SELECT * | "A", "B" FROM <table> | ( <select> ) [ORDER BY "A" ...]``."""
        m = re.fullmatch(r"\s*SELECT\s+(.*?)\s+FROM\s+(\(.*\)|[\w\".$]+)"
                         r"(?:\s+ORDER BY\s+(.*?))?\s*", query, re.DOTALL)
        if not m:
            raise UnexpectedQuery(f"not a simple SELECT: {query}")
        projection, source, order = m.groups()
        if source.startswith("("):
            frame, types = self._evaluate(source[1:-1])
        elif _name(source) in self.views:
            frame, types = self._evaluate(self.views[_name(source)])
        else:
            name = _name(source)
            if name not in self.tables:
                raise not_found(f"Object '{name}' does not exist or not authorized.")
            frame, types = self.tables[name], self.types[name]
        columns = (list(frame.columns) if projection.strip() == "*"
                   else re.findall(r'"([^"]+)"', projection))
        out = frame[columns]
        if order:
            keys = re.findall(r'"([^"]+)"', order)
            out = out.sort_values(keys, kind="mergesort")
        return out, {c: types[c] for c in columns}

    def select(self, query: str, _p: Any) -> Result:
        frame, types = self._evaluate(query)
        return Result([(c, _KINDS[types[c]]) for c in frame.columns],
                      [tuple(r) for r in frame.itertuples(index=False)])
