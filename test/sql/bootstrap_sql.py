"""The administrator's bootstrap (bootstrap/<stack>/*.sql) under sqlglot's Snowflake dialect.

Every statement must parse; sqlglot 30 keeps most of Snowflake's administration statements
(CREATE ROLE/USER/RESOURCE MONITOR, ALTER WAREHOUSE/USER, GRANT ROLE) as an opaque
``Command``, so for those the checker reads the names itself, from sqlglot's tokens. Every
role, user, warehouse and resource monitor a statement names must be created earlier in the
same stack's bootstrap (file order), be a Snowflake system role, or - for a warehouse that
``ALTER WAREHOUSE IF EXISTS`` caps after the first ``pulumi up`` - be declared by the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from declared import WAREHOUSE, DeclaredStack
from sqlglot import exp
from sqlglot.errors import ParseError

DIALECT = "snowflake"
REPO = Path(__file__).resolve().parents[2]
SYSTEM_ROLES = {"ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", "ORGADMIN", "PUBLIC"}
#: Leading words of the statements the bootstrap may hold (anything else is a finding).
ALLOWED = (
    "USE ROLE",
    "CREATE ROLE IF NOT EXISTS",
    "CREATE USER IF NOT EXISTS",
    "CREATE WAREHOUSE IF NOT EXISTS",
    "CREATE RESOURCE MONITOR IF NOT EXISTS",
    "ALTER USER IF EXISTS",
    "ALTER WAREHOUSE",
    "ALTER RESOURCE MONITOR",
    "GRANT",
)
_ID = r"([A-Za-z_][A-Za-z0-9_$]*)"


@dataclass(frozen=True)
class Statement:
    file: str
    index: int
    sql: str
    kind: str


@dataclass
class BootstrapCheck:
    stack: str
    findings: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    roles: set[str] = field(default_factory=lambda: set(SYSTEM_ROLES))
    users: set[str] = field(default_factory=set)
    warehouses: set[str] = field(default_factory=set)
    monitors: set[str] = field(default_factory=set)


# docs.snowflake.com/en/sql-reference/snowflake-db-roles: ALERT_VIEWER lets an alert call
# SNOWFLAKE.ALERT.SCHEDULED_TIME() and LAST_SUCCESSFUL_SCHEDULED_TIME().
SNOWFLAKE_DATABASE_ROLES = {"ALERT_VIEWER"}


def bootstrap_dir(stack: str, root: Path = REPO) -> Path:
    return root / "bootstrap" / stack


def _text(expression: exp.Expression) -> str:
    """The statement without comments, on one line."""
    sql = expression.sql(dialect=DIALECT, comments=False)
    return re.sub(r"\s+", " ", sql).strip()


def parse_files(stack: str, root: Path = REPO) -> BootstrapCheck:
    check = BootstrapCheck(stack)
    folder = bootstrap_dir(stack, root)
    files = sorted(folder.glob("*.sql"))
    if not files:
        check.findings.append(f"{stack}: bootstrap/{stack}/ holds no .sql file (npm run bootstrap:sql)")
    for path in files:
        rel = f"bootstrap/{stack}/{path.name}"
        try:
            parsed = sqlglot.parse(path.read_text(), read=DIALECT)
        except ParseError as err:
            check.findings.append(f"{rel}: does not parse under sqlglot's Snowflake dialect: {err}")
            continue
        for i, e in enumerate(x for x in parsed if x is not None):
            check.statements.append(Statement(rel, i + 1, _text(e), type(e).__name__))
    return check


def check_stack(declared: DeclaredStack, root: Path = REPO) -> BootstrapCheck:
    """Parse, then resolve every name against what comes before it and the stack's warehouses."""
    check = parse_files(declared.stack, root)
    stack_warehouses = {r.inputs.get("name") for r in declared.of_type(WAREHOUSE)}

    def need(kind: str, name: str, known: set[str], s: Statement, extra: set[str] | None = None) -> None:
        if name not in known and name not in (extra or set()):
            check.findings.append(f"{s.file} statement {s.index}: {kind} {name} is not created earlier in bootstrap/{declared.stack}/ ({s.sql[:80]})")

    for s in check.statements:
        sql = s.sql
        if not sql.upper().startswith(ALLOWED):
            check.findings.append(f"{s.file} statement {s.index}: not a bootstrap statement form ({sql[:80]})")
            continue
        if m := re.match(rf"USE ROLE {_ID}$", sql, re.I):
            need("role", m[1], check.roles, s)
        elif m := re.match(rf"CREATE ROLE IF NOT EXISTS {_ID}", sql):
            check.roles.add(m[1])
        elif m := re.match(rf"CREATE USER IF NOT EXISTS {_ID}(.*)$", sql):
            check.users.add(m[1])
            for prop in ("DEFAULT_ROLE", "DEFAULT_WAREHOUSE"):
                if v := re.search(rf"{prop} = {_ID}", m[2]):
                    need("role" if prop == "DEFAULT_ROLE" else "warehouse", v[1], check.roles if prop == "DEFAULT_ROLE" else check.warehouses, s)
        elif m := re.match(rf"CREATE WAREHOUSE IF NOT EXISTS {_ID}", sql):
            check.warehouses.add(m[1])
        elif m := re.match(rf"CREATE RESOURCE MONITOR IF NOT EXISTS {_ID}(.*)$", sql):
            check.monitors.add(m[1])
            check_notify_users(m[2], s, check)
        elif m := re.match(rf"ALTER RESOURCE MONITOR {_ID}(.*)$", sql):
            need("resource monitor", m[1], check.monitors, s)
        elif m := re.match(rf"ALTER USER IF EXISTS {_ID}", sql):
            need("user", m[1], check.users, s)
        elif m := re.match(rf"ALTER WAREHOUSE (IF EXISTS )?{_ID} SET (.*)$", sql):
            need("warehouse", m[2], check.warehouses, s, stack_warehouses if m[1] else None)
            if v := re.search(rf"RESOURCE_MONITOR = {_ID}", m[3]):
                need("resource monitor", v[1], check.monitors, s)
        elif m := re.match(rf"GRANT ROLE {_ID} TO (ROLE|USER) {_ID}$", sql):
            need("role", m[1], check.roles, s)
            need(m[2].lower(), m[3], check.roles if m[2] == "ROLE" else check.users, s)
        elif m := re.match(rf"GRANT DATABASE ROLE SNOWFLAKE\.{_ID} TO ROLE {_ID}$", sql):
            # The SNOWFLAKE database's roles exist in every account; only the ones we use are known.
            if m[1] not in SNOWFLAKE_DATABASE_ROLES:
                check.findings.append(f"{s.file} statement {s.index}: SNOWFLAKE.{m[1]} is not a SNOWFLAKE database role this project uses")
            need("role", m[2], check.roles, s)
        elif m := re.match(rf"GRANT [A-Z ,]+ ON (ACCOUNT|WAREHOUSE {_ID}|RESOURCE MONITOR {_ID}) TO ROLE {_ID}( WITH GRANT OPTION)?$", sql):
            if m[2]:
                need("warehouse", m[2], check.warehouses, s)
            if m[3]:
                need("resource monitor", m[3], check.monitors, s)
            need("role", m[4], check.roles, s)
        else:
            check.findings.append(f"{s.file} statement {s.index}: form not understood by test/sql/bootstrap_sql.py ({sql[:80]})")
    return check


def check_notify_users(props: str, s: Statement, check: BootstrapCheck) -> None:
    """NOTIFY_USERS names Snowflake users by identifier, not email addresses."""
    m = re.search(r"NOTIFY_USERS = \(([^)]*)\)", props)
    if not m or not m[1].strip():
        check.findings.append(f"{s.file} statement {s.index}: resource monitor without NOTIFY_USERS")
        return
    for user in (u.strip() for u in m[1].split(",")):
        if not re.fullmatch(_ID, user):
            check.findings.append(f"{s.file} statement {s.index}: NOTIFY_USERS entry {user!r} is not a user name")
