"""Snowflake's side of the Feature Store statements of snowflake-ml-python 1.7.2.

The Feature Store keeps everything in ordinary objects of its schema: entities are tags
(SHOW TAGS, CREATE TAG ... ALLOWED_VALUES), feature views are views (or dynamic tables)
carrying tags, found with SHOW VIEWS and ENTITY_DETAIL('TAG', ...). This answers those
statements from what earlier statements created, with SHOW's column names, and keeps
every CREATE VIEW text so a test can read what a feature view selects.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from snowflake_wire import STATUS, Result, Wire

_SHOW_TAG_COLUMNS = [("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT"),
                     ("database_name", "TEXT"), ("schema_name", "TEXT"), ("owner", "TEXT"),
                     ("comment", "TEXT"), ("allowed_values", "TEXT")]
_SHOW_VIEW_COLUMNS = [("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT"), ("reserved", "TEXT"),
                      ("database_name", "TEXT"), ("schema_name", "TEXT"), ("owner", "TEXT"),
                      ("comment", "TEXT"), ("text", "TEXT"), ("is_secure", "TEXT"),
                      ("is_materialized", "TEXT"), ("owner_role_type", "TEXT"),
                      ("change_tracking", "TEXT")]


class FeatureStoreServer:
    def __init__(self, tables: Any, database: str = "DEV_ML_DB", schema: str = "FEATURES"):
        self.tables = tables  # table_server.TableServer: views read through it
        self.database, self.schema = database, schema
        self.tags: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.references: list[dict[str, str]] = []
        self.results: dict[str, Result] = {}

    def attach(self, wire: Wire) -> Wire:
        return (
            wire.on(r"^\s*SHOW (WAREHOUSES|DATABASES|SCHEMAS) LIKE '([^']+)'", self.exists)
            .on(r"^\s*CREATE TAG IF NOT EXISTS \S+\s*$", STATUS)
            .on(r"^\s*CREATE TAG IF NOT EXISTS (\S+)\s+ALLOWED_VALUES", self.create_entity)
            .on(r"^\s*SHOW TAGS LIKE", self.show_tags)
            .on(r'substring\("name", 29, 32\) AS "NAME".*RESULT_SCAN\(\'([^\']+)\'\)',
                lambda q, p: self.entities_of(wire, q))
            .on(r"ENTITY_DETAIL\('TAG','([^']+)'", self.entity_detail)
            .on(r"^\s*SHOW DYNAMIC TABLES LIKE", lambda q, p: Result([("name", "TEXT")], []))
            .on(r"^\s*SHOW VIEWS LIKE '([^']+)'", self.show_views)
            .on(r"^\s*CREATE (OR REPLACE )?VIEW", self.create_view)
            .on(r"^\s*DESC VIEW (\S+)", self.describe_view)
        )

    @staticmethod
    def exists(query: str, _p: Any) -> Result:
        name = re.search(r"LIKE '([^']+)'", query).group(1)
        return Result([("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT")],
                      [(datetime(2026, 1, 1), name)])

    def create_entity(self, query: str, _p: Any) -> Result:
        m = re.search(r"CREATE TAG IF NOT EXISTS (\S+)\s+ALLOWED_VALUES '([^']*)'"
                      r"\s+COMMENT = '([^']*)'", query)
        name = m.group(1).split(".")[-1].strip('"')
        self.tags[name] = {"allowed_values": json.dumps(m.group(2).split(",")),
                           "comment": m.group(3)}
        return STATUS

    def show_tags(self, query: str, _p: Any) -> Result:
        pattern = re.search(r"LIKE '([^']+)'", query).group(1)
        regex = "^" + re.escape(pattern).replace("%", ".*").replace("_", ".") + "$"
        rows = [(datetime(2026, 1, 1), name, self.database, self.schema, "ML_DEV_ROLE",
                 tag["comment"], tag["allowed_values"])
                for name, tag in self.tags.items() if re.match(regex, name)]
        return Result(_SHOW_TAG_COLUMNS, rows)

    @staticmethod
    def entities_of(wire: Wire, query: str) -> Result:
        """FeatureStore.list_entities' projection over the SHOW TAGS result it names."""
        qid = re.search(r"RESULT_SCAN\('([^']+)'\)", query).group(1)
        shown = wire.results[qid]
        rows = [(r[1][28:28 + 32], r[6], r[5], r[4]) for r in shown.rows]
        return Result([("NAME", "TEXT"), ("JOIN_KEYS", "TEXT"), ("DESC", "TEXT"),
                       ("OWNER", "TEXT")], rows)

    def entity_detail(self, query: str, _p: Any) -> Result:
        tag = re.search(r"ENTITY_DETAIL\('TAG','([^']+)'", query).group(1).split(".")[-1]
        found = [r for r in self.references if r["tagName"] == tag]
        body = {"referencedEntities": {"tagReferenceList": found}}
        return Result([("ENTITY_DETAIL", "TEXT")], [(json.dumps(body),)])

    def show_views(self, query: str, _p: Any) -> Result:
        name = re.search(r"LIKE '([^']+)'", query).group(1)
        rows = [(datetime(2026, 1, 1), n, "", self.database, self.schema, "ML_DEV_ROLE",
                 v["comment"], v["text"], "false", "false", "ROLE", "OFF")
                for n, v in self.views.items() if n == name]
        return Result(_SHOW_VIEW_COLUMNS, rows)

    def create_view(self, query: str, _p: Any) -> Result:
        m = re.search(r"VIEW\s+(\S+)", query)
        name = m.group(1).split(".")[-1].strip('"')
        comment = re.search(r"COMMENT\s*=\s*'([^']*)'", query)
        columns = re.search(r"VIEW\s+\S+\s*\((.*?)\)\s*COMMENT", query, re.DOTALL)
        column_comments = {}
        for part in (columns.group(1).split(",") if columns else []):
            c = re.match(r"\s*(\S+)(?:\s+COMMENT\s+'([^']*)')?", part)
            column_comments[c.group(1)] = c.group(2)  # None: no COMMENT clause, NULL in DESC
        self.views[name] = {"text": query, "comment": comment.group(1) if comment else "",
                            "column_comments": column_comments}
        select = re.search(r"\bAS (SELECT .*)$", query, re.DOTALL).group(1).strip()
        self.tables.views[f"{self.database}.{self.schema}.{name}"] = select
        for tag, value in re.findall(r"([\w.]+)\s*=\s*'((?:[^']|'')*)'", _tag_clause(query)):
            self.references.append({"tagName": tag.split(".")[-1], "tagValue": value,
                                    "domain": "TABLE", "entityName": name})
        return STATUS


    def describe_view(self, query: str, _p: Any) -> Result:
        from table_server import _name

        name = _name(re.search(r"DESC VIEW (\S+)", query).group(1))
        _, types = self.tables._evaluate(self.tables.views[name])
        comments = self.views[name.split(".")[-1]]["column_comments"]
        rows = [(c, t, "COLUMN", "Y", None, "N", "N", None, None, comments.get(c), None)
                for c, t in types.items()]
        return Result(_DESC_COLUMNS, rows)


_DESC_COLUMNS = [("name", "TEXT"), ("type", "TEXT"), ("kind", "TEXT"), ("null?", "TEXT"),
                 ("default", "TEXT"), ("primary key", "TEXT"), ("unique key", "TEXT"),
                 ("check", "TEXT"), ("expression", "TEXT"), ("comment", "TEXT"),
                 ("policy name", "TEXT")]


def _tag_clause(query: str) -> str:
    m = re.search(r"\bTAG \((.*?)\)\s*AS SELECT", query, re.DOTALL)
    return m.group(1) if m else ""
