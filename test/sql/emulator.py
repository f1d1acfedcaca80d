"""A stack's tables and views on fakesnow (Snowflake SQL translated onto DuckDB).

Tables are created from their declared columns and views from their declared
statements, unchanged: where the emulator differs from Snowflake the test says so
(docs/sql-verification.md), the product's SQL is never adapted to the emulator.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from declared import DATABASE, QUERY_OBJECTS, SCHEMA, TABLE, DeclaredStack, Key


def q(*parts: str) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


@contextlib.contextmanager
def emulator(**connect_args: Any) -> Iterator[Any]:
    """A connection to a fresh in-memory fakesnow instance (its own DuckDB database).

    FakeSnow is used directly rather than through fakesnow.patch(), which cannot nest:
    several stacks' emulators may be open at once.
    """
    from fakesnow.instance import FakeSnow

    conn = FakeSnow().connect(**connect_args)
    try:
        yield conn
    finally:
        conn.close()


def create_stack(conn: Any, declared: DeclaredStack) -> dict[Key, str]:
    """Creates databases, schemas, tables and query objects; returns {view: error} for
    query objects the emulator could not create."""
    cur = conn.cursor()
    for r in declared.of_type(DATABASE):
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {q(r.inputs['name'])}")
    for r in declared.of_type(SCHEMA):
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {q(r.inputs['database'], r.inputs['name'])}")
    for r in declared.of_type(TABLE):
        db, schema, name = r.key
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {q(db)}")
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {q(db, schema)}")
        cols = ", ".join(f"{q(c['name'])} {c['type']}{'' if c.get('nullable', True) else ' NOT NULL'}" for c in r.inputs["columns"])
        cur.execute(f"CREATE TABLE {q(db, schema, name)} ({cols})")
    # Views over views: retry until nothing more can be created.
    pending = {r.key: r for r in declared.of_type(*QUERY_OBJECTS) if r.key}
    errors: dict[Key, str] = {}
    while pending:
        created = False
        for key, r in list(pending.items()):
            statement = r.inputs.get("statement") or r.inputs.get("query")
            try:
                cur.execute(f"CREATE VIEW {q(*key)} AS {statement}")
            except Exception as err:  # noqa: BLE001 - the emulator's error is the message
                errors[key] = str(err)
                continue
            errors.pop(key, None)
            del pending[key]
            created = True
        if not created:
            break
    return errors


def install_alert_clock(conn: Any) -> None:
    """SNOWFLAKE.ALERT.SCHEDULED_TIME() and LAST_SUCCESSFUL_SCHEDULED_TIME() for alert conditions.

    In Snowflake they exist only inside a running alert and return TIMESTAMP_LTZ. Here they
    are DuckDB macros reading a one-row clock that `set_alert_clock` moves; until then the
    check is scheduled now and no check has succeeded yet (NULL)."""
    cur = conn.cursor()
    cur.execute('CREATE DATABASE IF NOT EXISTS "SNOWFLAKE"')
    cur.execute('CREATE SCHEMA IF NOT EXISTS "SNOWFLAKE"."ALERT"')
    duck = conn._duck_conn
    duck.execute("CREATE TABLE SNOWFLAKE.ALERT.CLOCK (SCHEDULED TIMESTAMPTZ, LAST_SUCCESSFUL TIMESTAMPTZ)")
    duck.execute("INSERT INTO SNOWFLAKE.ALERT.CLOCK VALUES (CURRENT_TIMESTAMP, NULL)")
    duck.execute("CREATE MACRO SNOWFLAKE.ALERT.scheduled_time() AS (SELECT SCHEDULED FROM SNOWFLAKE.ALERT.CLOCK)")
    duck.execute("CREATE MACRO SNOWFLAKE.ALERT.last_successful_scheduled_time() AS (SELECT LAST_SUCCESSFUL FROM SNOWFLAKE.ALERT.CLOCK)")


def set_alert_clock(conn: Any, scheduled: datetime, last_successful: datetime | None) -> None:
    """The scheduled times (UTC, naive) the next alert condition sees."""
    def tz(t: datetime | None) -> str:
        return "NULL" if t is None else f"'{t.isoformat(sep=' ')}+00'::TIMESTAMPTZ"

    conn._duck_conn.execute(f"UPDATE SNOWFLAKE.ALERT.CLOCK SET SCHEDULED = {tz(scheduled)}, LAST_SUCCESSFUL = {tz(last_successful)}")


def emulator_now(conn: Any) -> tuple[datetime, date]:
    """The emulator's CURRENT_TIMESTAMP()::TIMESTAMP_NTZ and CURRENT_DATE()."""
    cur = conn.cursor()
    cur.execute("SELECT CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, CURRENT_DATE()")
    now, today = cur.fetchone()
    return now.replace(tzinfo=None), today


def select(conn: Any, sql: str) -> list[dict[str, Any]]:
    cur = conn.cursor()
    cur.execute(sql)
    names = [d.name for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def insert(conn: Any, table: Key, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])

    def literal(v: Any) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, int | float | Decimal):
            return str(v)
        if isinstance(v, datetime):
            return f"'{v.isoformat(sep=' ')}'::TIMESTAMP_NTZ"
        return "'" + str(v).replace("'", "''") + "'"

    values = ",\n".join("(" + ", ".join(literal(r[c]) for c in columns) + ")" for r in rows)
    conn.cursor().execute(f"INSERT INTO {q(*table)} ({', '.join(q(c) for c in columns)}) VALUES\n{values}")


# -- deterministic data ---------------------------------------------------------------------

MODEL_VERSIONS = ("V_20260101_000000_A1B2C3", "V_20260201_000000_D4E5F6")


@dataclass(frozen=True)
class PredictionData:
    rows: list[dict[str, Any]]
    #: Days of history generated (older than every stack's RECENT window).
    days: int


def predictions(now: datetime, days: int = 45, per_day: int = 8, seed: int = 6) -> PredictionData:
    """`per_day` predictions on each of `days` days back from `now`, plus some today.

    Timestamps are whole days plus 1-22 hours before `now`, so no row lies within an
    hour of any N-day window edge: the expected window does not depend on seconds.
    The older version scores the older half, both versions overlap in the middle.
    """
    rng = random.Random(seed)
    rows = []
    midnight = datetime(now.year, now.month, now.day)
    for d in range(days):
        for i in range(per_day):
            ts = now - timedelta(days=d, hours=rng.randint(1, 22), minutes=rng.randint(0, 59))
            version = MODEL_VERSIONS[0] if d > days // 2 or (d > days // 3 and i % 2) else MODEL_VERSIONS[1]
            rows.append(_prediction(rng, len(rows), ts, version))
    # Today (UTC), so "today" conditions (the drift alert) have data at any hour.
    span = max((now - midnight).total_seconds(), 1.0)
    for i in range(12):
        ts = midnight + timedelta(seconds=span * (i + 0.5) / 13)
        # Today's newest version drifts towards high scores.
        rows.append(_prediction(rng, len(rows), ts, MODEL_VERSIONS[1], high=True))
    return PredictionData(rows, days)


def _prediction(rng: random.Random, n: int, ts: datetime, version: str, high: bool = False) -> dict[str, Any]:
    score = Decimal(rng.randint(8000, 9999) if high else rng.randint(0, 9999)) / Decimal(10000)
    return {
        "CUSTOMER_ID": f"C{n % 250:05d}",
        "PREDICTION": 1 if score >= Decimal("0.5") else 0,
        "PREDICTION_TIMESTAMP": ts.replace(microsecond=0),
        "MODEL_VERSION": version,
        "CONFIDENCE_SCORE": score,
        "RUN_ID": f"RUN_{ts:%Y%m%d}",
    }


def score_baseline(model_name: str) -> list[dict[str, Any]]:
    """A held-out score distribution per version: roughly uniform over the 10 bins."""
    rows = []
    for version in MODEL_VERSIONS:
        weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] if version == MODEL_VERSIONS[0] else [2, 2, 1, 1, 1, 1, 1, 1, 0, 0]
        total = sum(weights)
        for b, w in enumerate(weights):
            rows.append({"MODEL_NAME": model_name, "MODEL_VERSION": version, "BIN_INDEX": b,
                         "BIN_LOWER": b / 10, "BIN_UPPER": (b + 1) / 10, "EXPECTED_FRACTION": w / total})
    return rows
