"""What one stack declares in Snowflake, read from tools/exportDeclaredSql.ts's JSON.

Everything here is keyed by resource *type*, so objects of a kind that lands later
(procedures, tasks, alerts, dynamic tables, more views) are picked up without edits.
Names are kept exactly as declared: the provider quotes every identifier, so a
declared ``PREDICTIONS`` is case-sensitive in Snowflake.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = "snowflake-mlops"


def _promotion_order() -> tuple[str, ...]:
    """PROMOTION_ORDER as tools/environments.ts defines it (needed before the exporter runs,
    to parametrise the tests); the exporter evaluates exactly these stacks."""
    source = (Path(__file__).resolve().parents[2] / "tools" / "environments.ts").read_text()
    match = re.search(r"PROMOTION_ORDER\s*=\s*\[([^\]]*)\]", source)
    if not match:
        raise RuntimeError("tools/environments.ts: PROMOTION_ORDER not found")
    return tuple(re.findall(r'"([^"]+)"', match.group(1)))


STACKS = _promotion_order()

DATABASE = "snowflake:index/database:Database"
SCHEMA = "snowflake:index/schema:Schema"
TABLE = "snowflake:index/table:Table"
VIEW = "snowflake:index/view:View"
MATERIALIZED_VIEW = "snowflake:index/materializedView:MaterializedView"
DYNAMIC_TABLE = "snowflake:index/dynamicTable:DynamicTable"
TASK = "snowflake:index/task:Task"
ALERT = "snowflake:index/alert:Alert"
EXECUTE = "snowflake:index/execute:Execute"
PROCEDURE_PYTHON = "snowflake:index/procedurePython:ProcedurePython"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"

#: Objects whose columns are computed from a query (their SELECT list's output names).
QUERY_OBJECTS = (VIEW, MATERIALIZED_VIEW, DYNAMIC_TABLE)

Key = tuple[str, str, str]


def is_procedure(resource_type: str) -> bool:
    """ProcedurePython, ProcedureSql, ProcedureJava, ... (one type per language)."""
    return resource_type.startswith("snowflake:index/procedure")


def short_type(resource_type: str) -> str:
    return resource_type.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Resource:
    stack: str
    type: str
    #: Pulumi resource name (the logical name in the program, unique per type).
    name: str
    inputs: dict[str, Any]

    @property
    def key(self) -> Key | None:
        i = self.inputs
        if i.get("database") and i.get("schema") and i.get("name"):
            return (i["database"], i["schema"], i["name"])
        return None

    @property
    def label(self) -> str:
        """`stack: Type resource-name ("DB"."SCHEMA"."NAME")` for messages."""
        where = ".".join(f'"{p}"' for p in self.key) if self.key else ""
        return f"{self.stack}: {short_type(self.type)} {self.name}" + (f" ({where})" if where else "")


@dataclass
class DeclaredStack:
    stack: str
    config: dict[str, str]
    resources: list[Resource]
    #: Columns of tables and of query objects (filled in for the latter by the checker).
    columns: dict[Key, list[str]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> DeclaredStack:
        stack = doc["stack"]
        resources = [Resource(stack, r["type"], r["name"], r.get("inputs") or {}) for r in doc["resources"]]
        declared = cls(stack, doc.get("config", {}), resources)
        for t in declared.of_type(TABLE):
            if t.key:
                declared.columns[t.key] = [c["name"] for c in t.inputs.get("columns", [])]
        return declared

    @classmethod
    def load(cls, path: Path) -> DeclaredStack:
        return cls.from_json(json.loads(path.read_text()))

    def setting(self, key: str) -> str:
        value = self.config.get(f"{PROJECT}:{key}")
        if value is None:
            raise KeyError(f"Pulumi.{self.stack}.yaml has no {PROJECT}:{key}")
        return value

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def keyed(self, *types: str) -> dict[Key, Resource]:
        return {r.key: r for r in self.of_type(*types) if r.key}

    @property
    def procedures(self) -> dict[Key, list[Resource]]:
        out: dict[Key, list[Resource]] = {}
        for r in self.resources:
            if is_procedure(r.type) and r.key:
                out.setdefault(r.key, []).append(r)
        return out

    @property
    def relations(self) -> set[Key]:
        """Tables, views and dynamic tables: what a FROM or JOIN may name."""
        return set(self.keyed(TABLE, *QUERY_OBJECTS))

    def schema_mapping(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        """Known columns as a sqlglot MappingSchema dict (exact names, types unused)."""
        mapping: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
        for (db, schema, name), cols in self.columns.items():
            mapping.setdefault(db, {}).setdefault(schema, {})[name] = {c: "VARCHAR" for c in cols}
        return mapping
