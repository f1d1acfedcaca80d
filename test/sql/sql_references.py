"""Parse check and reference check of every SQL text a stack declares.

Each statement must parse under sqlglot's Snowflake dialect, and every object it names
(table, view, column, procedure and its argument count, task) must be declared by the
same stack with the same casing, or be a Snowflake system object. Unquoted identifiers
resolve to upper case, quoted ones as written, as in Snowflake.

Where sqlglot parses a Snowflake form only as an opaque ``Command`` (CALL, EXECUTE TASK,
ALTER ...), the checker reads what it needs itself; see docs/sql-verification.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlglot
from declared import (
    ALERT,
    DYNAMIC_TABLE,
    EXECUTE,
    MATERIALIZED_VIEW,
    QUERY_OBJECTS,
    TABLE,
    TASK,
    VIEW,
    WAREHOUSE,
    DeclaredStack,
    Key,
    Resource,
)
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError, SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

DIALECT = "snowflake"

#: (resource type, input, kind). kind: "query" must be a query; "statement" may be any
#: statement (an opaque Command is accepted, CALLs are resolved); "expression" is a
#: boolean expression (a task's WHEN).
SQL_FIELDS: dict[str, list[tuple[str, str]]] = {
    VIEW: [("statement", "query")],
    MATERIALIZED_VIEW: [("statement", "query")],
    DYNAMIC_TABLE: [("query", "query")],
    TASK: [("sqlStatement", "statement"), ("when", "expression")],
    ALERT: [("condition", "query"), ("action", "statement")],
    # An Execute's `query` reads state back (typically SHOW ...), so any statement.
    EXECUTE: [("execute", "statement"), ("revert", "statement"), ("query", "statement")],
}

#: Statement kinds sqlglot 30 leaves as an opaque Command but Snowflake runs; the checker
#: accepts them (CALL is resolved separately) and lists them as not verified further.
OPAQUE_OK = ("CALL", "EXECUTE", "ALTER", "SHOW", "DESCRIBE", "DESC", "UNDROP", "USE")

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_FQN_LITERAL = re.compile(rf"^\s*{_IDENT}\s*\.\s*{_IDENT}\s*\.\s*{_IDENT}\s*$")


@dataclass(frozen=True)
class SqlText:
    """One piece of declared SQL and where it comes from."""

    stack: str
    origin: str
    field: str
    kind: str
    sql: str
    #: Database and schema that unqualified names resolve in (the object's own).
    database: str | None = None
    schema: str | None = None


@dataclass(frozen=True)
class Finding:
    origin: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin} [{self.field}]: {self.message}"


def declared_sql(declared: DeclaredStack) -> list[SqlText]:
    """Every SQL text in the stack's resources, by type (new resources are picked up)."""
    texts = []
    for r in declared.resources:
        for field_name, kind in SQL_FIELDS.get(r.type, []):
            value = r.inputs.get(field_name)
            if isinstance(value, str) and value.strip():
                texts.append(SqlText(declared.stack, r.label, field_name, kind, value, r.inputs.get("database"), r.inputs.get("schema")))
    return texts


def ident_name(node: exp.Expression | str | None) -> str | None:
    """An identifier as Snowflake resolves it: quoted as written, unquoted upper case."""
    if node is None:
        return None
    if isinstance(node, str):
        return node.upper()
    if isinstance(node, exp.Identifier):
        return node.this if node.quoted else node.this.upper()
    if isinstance(node, exp.Expression) and isinstance(node.this, exp.Identifier | str):
        return ident_name(node.this)
    return node.name.upper()


def table_key(table: exp.Table, database: str | None, schema: str | None) -> tuple[str | None, str | None, str]:
    return (
        ident_name(table.args.get("catalog")) or database,
        ident_name(table.args.get("db")) or schema,
        ident_name(table.this),
    )


def fqn(parts: tuple[str | None, ...]) -> str:
    return ".".join(f'"{p}"' for p in parts if p is not None)


def is_system_object(key: tuple[str | None, str | None, str]) -> bool:
    db, schema, name = key
    return (db or "").upper() == "SNOWFLAKE" or (schema or "").upper() == "INFORMATION_SCHEMA" or name.upper().startswith("SYSTEM$")


def parse_literal_fqn(text: str) -> tuple[str, str, str] | None:
    """`"DB"."SCHEMA"."OBJ"` or `DB.SCHEMA.OBJ` inside a string literal (a table passed by name)."""
    if not _FQN_LITERAL.match(text):
        return None
    table = exp.to_table(text, dialect=DIALECT)
    key = table_key(table, None, None)
    return key if key[0] and key[1] else None  # type: ignore[return-value]


class Checker:
    """Checks the SQL of one stack against what that stack declares."""

    def __init__(self, declared: DeclaredStack):
        self.declared = declared
        self.unverified: list[str] = []
        self.findings: list[Finding] = []
        self._derive_query_columns()

    # -- the catalogue -------------------------------------------------------------------

    def _derive_query_columns(self) -> None:
        """Columns of views and dynamic tables = their SELECT list's output names.

        Views over views resolve in dependency order: repeat until nothing new resolves.
        """
        pending = {r.key: r for r in self.declared.of_type(*QUERY_OBJECTS) if r.key}
        while pending:
            progressed = False
            for key, r in list(pending.items()):
                field_name = SQL_FIELDS[r.type][0][0]
                try:
                    parsed = sqlglot.parse_one(r.inputs.get(field_name) or "", dialect=DIALECT)
                    if not isinstance(parsed, exp.Query):
                        raise ParseError("not a query")
                    if any(self._known(table_key(t, key[0], key[1])) is False and (table_key(t, key[0], key[1]) in pending) for t in _tables(parsed)):
                        continue  # depends on a view not derived yet
                    q = qualify(parsed, schema=self._schema(), dialect=DIALECT, catalog=key[0], db=key[1], validate_qualify_columns=False, quote_identifiers=True)
                    self.declared.columns[key] = list(q.named_selects)
                except SqlglotError:
                    self.declared.columns[key] = []  # reported by check_text
                del pending[key]
                progressed = True
            if not progressed:  # a cycle: report through check_text, stop deriving
                for key in pending:
                    self.declared.columns[key] = []
                break

    def _schema(self) -> MappingSchema:
        return MappingSchema(self.declared.schema_mapping(), dialect=DIALECT, normalize=False)

    def _known(self, key: tuple[str | None, str | None, str]) -> bool:
        return key in self.declared.columns

    # -- checks --------------------------------------------------------------------------

    def check_all(self, texts: list[SqlText] | None = None) -> list[Finding]:
        for text in declared_sql(self.declared) if texts is None else texts:
            self.check_text(text)
        self.check_task_graph()
        return self.findings

    def _report(self, text: SqlText, message: str) -> None:
        self.findings.append(Finding(text.origin, text.field, message))

    def check_text(self, text: SqlText) -> None:
        sql = text.sql
        if text.kind == "expression":
            sql = f"SELECT {sql}"
        try:
            statements = [s for s in _parse(sql) if s is not None]
        except SqlglotError as err:
            self._report(text, f"does not parse as Snowflake SQL: {_first_line(err)}")
            return
        for statement in statements:
            self._check_statement(text, statement)

    def _check_statement(self, text: SqlText, statement: exp.Expression) -> None:
        if isinstance(statement, exp.Command):
            verb = str(statement.this).upper()
            rest = statement.expression
            body = rest.this if isinstance(rest, exp.Literal) else (rest.sql(DIALECT) if isinstance(rest, exp.Expression) else str(rest or ""))
            if verb == "CALL":
                self._check_call(text, body)
            elif verb == "ALTER" and self._check_alter(text, body):
                pass
            elif verb in OPAQUE_OK:
                self.unverified.append(f"{text.origin} [{text.field}]: {verb} ... (sqlglot: opaque command)")
            else:
                self._report(text, f"sqlglot cannot parse this {verb} statement under the Snowflake dialect")
            return
        if text.kind == "query" and not isinstance(statement, exp.Query):
            self._report(text, f"expected a query, found {type(statement).__name__}")
            return
        self._check_relations(text, statement)
        self._check_columns(text, statement)

    def _check_relations(self, text: SqlText, statement: exp.Expression) -> None:
        ctes = {ident_name(c.args["alias"].this) for c in statement.find_all(exp.CTE)}
        for table in _tables(statement):
            key = table_key(table, text.database, text.schema)
            if not table.args.get("db") and key[2] in ctes:
                continue
            if is_system_object(key):
                continue
            if key[0] is None or key[1] is None:
                self._report(text, f"{fqn(key)} is not fully qualified and has no database/schema context")
            elif key not in self.declared.relations:
                self._report(text, f"names {fqn(key)}, which this stack does not declare (table, view or dynamic table){_near(key, self.declared.relations)}")

    def _check_columns(self, text: SqlText, statement: exp.Expression) -> None:
        if isinstance(statement, exp.Insert):
            target = statement.this
            table = target.this if isinstance(target, exp.Schema) else target
            if isinstance(table, exp.Table):
                key = table_key(table, text.database, text.schema)
                known = self.declared.columns.get(key)  # type: ignore[arg-type]
                if known is not None and isinstance(target, exp.Schema):
                    for col in target.expressions:
                        name = ident_name(col)
                        if name not in known:
                            self._report(text, f"inserts into column {name}, which {fqn(key)} does not declare")
        for query in _outermost_queries(statement):
            try:
                qualify(query.copy(), schema=self._schema(), dialect=DIALECT, catalog=text.database, db=text.schema, validate_qualify_columns=True, quote_identifiers=True)
            except OptimizeError as err:
                self._report(text, f"column reference does not resolve against the declared columns: {_first_line(err)}")

    def _check_alter(self, text: SqlText, body: str) -> bool:
        """ALTER WAREHOUSE/TASK/ALERT/TABLE/VIEW <name> ...: the object must be declared."""
        m = re.match(rf"\s*(WAREHOUSE|TASK|ALERT|TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?({_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}})", body, re.IGNORECASE)
        if not m:
            return False
        kind = m.group(1).upper()
        table = exp.to_table(m.group(2), dialect=DIALECT)
        if kind == "WAREHOUSE":
            name = ident_name(table.this)
            warehouses = {r.inputs.get("name") for r in self.declared.of_type(WAREHOUSE)}
            if name not in warehouses:
                self._report(text, f"alters warehouse {fqn((name,))}, which this stack does not declare")
        else:
            key = table_key(table, text.database, text.schema)
            types = {"TASK": (TASK,), "ALERT": (ALERT,), "TABLE": (TABLE, DYNAMIC_TABLE), "VIEW": QUERY_OBJECTS}[kind]
            if key not in self.declared.keyed(*types):
                self._report(text, f"alters {kind.lower()} {fqn(key)}, which this stack does not declare")
        self.unverified.append(f"{text.origin} [{text.field}]: ALTER {kind} ... (target checked; the rest is an opaque command to sqlglot)")
        return True

    def _check_call(self, text: SqlText, call: str) -> None:
        body = call.strip().rstrip(";").strip()
        try:
            expression = sqlglot.parse_one(f"SELECT {body}", dialect=DIALECT).expressions[0]
        except (SqlglotError, IndexError) as err:
            self._report(text, f"CALL {body!r} does not parse: {_first_line(err)}")
            return
        parts: list[exp.Expression | str] = []
        node = expression
        if isinstance(node, exp.Dot):
            *parts, node = _flatten_dot(node)
        if not isinstance(node, exp.Anonymous | exp.Func):
            self._report(text, f"CALL {body!r} does not name a procedure call")
            return
        proc_name = node.this if isinstance(node, exp.Anonymous) else node.sql_name()
        names = [ident_name(p) for p in parts] + [ident_name(proc_name)]
        db, schema = (names[-3] if len(names) >= 3 else text.database), (names[-2] if len(names) >= 2 else text.schema)
        key = (db, schema, names[-1])
        args = list(node.expressions) if isinstance(node, exp.Anonymous) else [a for a in node.args.values() if isinstance(a, exp.Expression)]
        if key[2] == "SYSTEM$SEND_EMAIL":
            self._check_send_email(text, args)
        if is_system_object(key):  # type: ignore[arg-type]
            return
        overloads = self.declared.procedures.get(key)  # type: ignore[arg-type]
        if not overloads:
            self._report(text, f"calls procedure {fqn(key)}, which this stack does not declare{_near(key, set(self.declared.procedures))}")
        else:
            arities = [_arity(p) for p in overloads]
            if not any(lo <= len(args) <= hi for lo, hi in arities):
                expected = " or ".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in arities)
                self._report(text, f"calls procedure {fqn(key)} with {len(args)} argument(s); declared with {expected}")
        for arg in args:
            if isinstance(arg, exp.Literal) and arg.is_string:
                named = parse_literal_fqn(arg.this)
                if named and not is_system_object(named) and named not in self.declared.relations:
                    self._report(text, f"passes {fqn(named)} by name to {fqn(key)}, but this stack declares no such table or view{_near(named, self.declared.relations)}")

    def _check_send_email(self, text: SqlText, args: list[exp.Expression]) -> None:
        """SYSTEM$SEND_EMAIL('<integration>', '<recipients>', ...): the integration is declared
        and allows every recipient (Snowflake rejects the call otherwise)."""
        if len(args) < 2 or not all(isinstance(a, exp.Literal) and a.is_string for a in args[:2]):
            return
        integrations = {r.inputs.get("name"): r for r in self.declared.resources if r.type.endswith("NotificationIntegration")}
        name, recipients = args[0].this, [a.strip() for a in args[1].this.split(",") if a.strip()]
        integration = integrations.get(name)
        if integration is None:
            self._report(text, f"sends email through notification integration {name!r}, which this stack does not declare")
            return
        allowed = integration.inputs.get("allowedRecipients")
        if allowed:
            for recipient in recipients:
                if recipient not in allowed:
                    self._report(text, f"sends email to {recipient}, which integration {name} does not allow ({', '.join(allowed)})")

    def check_task_graph(self) -> None:
        """`afters` and `finalize` name tasks of the same stack (fully qualified)."""
        tasks = set(self.declared.keyed(TASK))
        for r in self.declared.of_type(TASK):
            refs = [("afters", a) for a in r.inputs.get("afters") or []]
            if r.inputs.get("finalize"):
                refs.append(("finalize", r.inputs["finalize"]))
            for field_name, ref in refs:
                key = parse_literal_fqn(ref) if isinstance(ref, str) else None
                if key is None:
                    self.findings.append(Finding(r.label, field_name, f"{ref!r} is not a fully qualified task name"))
                elif key not in tasks:
                    self.findings.append(Finding(r.label, field_name, f"names task {fqn(key)}, which this stack does not declare{_near(key, tasks)}"))


def _flatten_dot(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Dot):
        return _flatten_dot(node.this) + _flatten_dot(node.expression)
    return [node]


def _arity(procedure: Resource) -> tuple[int, int]:
    args = procedure.inputs.get("arguments") or []
    required = [a for a in args if a.get("argDefaultValue") in (None, "")]
    return len(required), len(args)


def _tables(statement: exp.Expression) -> Iterator[exp.Table]:
    for table in statement.find_all(exp.Table):
        if isinstance(table.this, exp.Identifier) and table.name:
            yield table


def _outermost_queries(statement: exp.Expression) -> list[exp.Query]:
    if isinstance(statement, exp.Query):
        return [statement]
    return [q for q in statement.find_all(exp.Query) if q.find_ancestor(exp.Query) is None]


def _parse(sql: str) -> list[exp.Expression | None]:
    # sqlglot logs (does not raise) when it falls back to an opaque Command.
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return sqlglot.parse(sql, dialect=DIALECT, error_level=sqlglot.ErrorLevel.RAISE)
    finally:
        logger.setLevel(level)


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _near(key: tuple[str | None, ...], known: set[Key]) -> str:
    """A hint when the same name is declared elsewhere or with other casing."""
    name = key[-1] or ""
    close = sorted(fqn(k) for k in known if k[-1].upper() == name.upper() and k != key)
    return f" (declared: {', '.join(close)})" if close else ""


def check_stack(declared: DeclaredStack) -> tuple[list[Finding], list[str]]:
    checker = Checker(declared)
    return checker.check_all(), checker.unverified


def session_time_zone_uses(declared: DeclaredStack) -> list[Finding]:
    """Declared SQL whose result depends on the session's TIMEZONE parameter.

    ml/ writes every TIMESTAMP_NTZ in UTC (churn_ml.steps.utc_now). CURRENT_TIMESTAMP()
    (also GETDATE(), LOCALTIMESTAMP()) is a TIMESTAMP_LTZ in the session's time zone, and
    its ::TIMESTAMP_NTZ cast is that zone's wall-clock time; CURRENT_DATE() is that zone's
    date. Snowflake's default TIMEZONE is America/Los_Angeles, so compared with UTC
    columns these shift windows by the UTC offset. SYSDATE() (UTC) or
    CONVERT_TIMEZONE('UTC', ...) do not depend on it. fakesnow pins DuckDB to UTC and does
    not implement ALTER SESSION SET TIMEZONE, so the emulator cannot show the shift.
    """
    findings = []
    for text in declared_sql(declared):
        try:
            statements = [s for s in _parse(text.sql if text.kind != "expression" else f"SELECT {text.sql}") if s is not None]
        except SqlglotError:
            continue
        for statement in statements:
            for node in statement.find_all(exp.CurrentTimestamp, exp.CurrentDate):
                if node.args.get("sysdate"):
                    continue
                convert = node.find_ancestor(exp.ConvertTimezone)
                if convert is not None and str(convert.args.get("target_tz", "")).strip("'").upper() in ("UTC", "'UTC'"):
                    continue
                findings.append(Finding(text.origin, text.field, f"{node.sql(DIALECT)} depends on the session TIMEZONE; the compared columns are UTC (use SYSDATE() / SYSDATE()::DATE)"))
    return findings
