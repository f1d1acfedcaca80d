"""Snowflake's side of the Model Registry statements, answered in Snowflake's shapes.

snowflake-ml-python's Registry is a client of SQL: SHOW MODELS, CREATE MODEL ... FROM
@stage, SHOW VERSIONS, ALTER MODEL ... SET METADATA / DEFAULT_VERSION, LIST and GET on
``snow://model/...``. This module answers exactly those statements from an in-memory
model catalogue plus files in a folder, with the columns the SQL reference documents
(docs.snowflake.com/en/sql-reference/sql/show-models, .../show-versions-in-model):
an empty schema answers SHOW MODELS with the columns and no rows, as Snowflake does.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from snowflake_wire import STATUS, Result, Stages, Wire

SHOW_MODELS_COLUMNS = [
    ("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT"), ("model_type", "TEXT"),
    ("database_name", "TEXT"), ("schema_name", "TEXT"), ("comment", "TEXT"), ("owner", "TEXT"),
    ("default_version_name", "TEXT"), ("versions", "TEXT"), ("aliases", "TEXT"),
]
SHOW_VERSIONS_COLUMNS = [
    ("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT"), ("aliases", "TEXT"), ("comment", "TEXT"),
    ("database_name", "TEXT"), ("schema_name", "TEXT"), ("model_name", "TEXT"),
    ("is_default_version", "BOOLEAN"), ("functions", "TEXT"), ("metadata", "TEXT"),
    ("user_data", "TEXT"), ("model_spec", "TEXT"),
]
SHOW_FUNCTIONS_COLUMNS = [("name", "TEXT"), ("arguments", "TEXT"), ("return_type", "TEXT"),
                          ("language", "TEXT"), ("description", "TEXT")]
LIST_COLUMNS = [("name", "TEXT"), ("size", "FIXED"), ("md5", "TEXT"),
                ("last_modified", "TEXT")]
_NAME = r'"?([A-Za-z0-9_$]+)"?'
_FQN = rf"{_NAME}\.{_NAME}\.{_NAME}"


@dataclass
class ModelEntry:
    database: str
    schema: str
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)
    default: str | None = None
    created_on: datetime = field(default_factory=datetime.now)


class RegistryServer:
    """Answers the registry statements of one account; model files live under ``root``."""

    def __init__(self, root: Path, stages: Stages):
        self.root, self.stages = Path(root), stages
        self.models: dict[str, ModelEntry] = {}

    def attach(self, wire: Wire) -> Wire:
        self.stages.attach(wire)
        return (
            wire.on(r"^SHOW MODELS", self.show_models)
            .on(rf"^CREATE MODEL {_FQN} WITH VERSION {_NAME} FROM (@\S+)", self.create)
            .on(rf"^ALTER MODEL {_FQN}\s+ADD VERSION {_NAME} FROM (@\S+)", self.add_version)
            .on(r"^SHOW VERSIONS", self.show_versions)
            .on(rf"^ALTER MODEL {_FQN}\s+MODIFY VERSION {_NAME} SET METADATA=\$\$(.*)\$\$",
                self.set_metadata)
            .on(rf"^ALTER MODEL {_FQN}\s+SET DEFAULT_VERSION\s*=\s*{_NAME}", self.set_default)
            .on(rf"^ALTER MODEL {_FQN}\s+MODIFY VERSION {_NAME} SET COMMENT", lambda q, p: STATUS)
            .on(r"^SHOW FUNCTIONS IN MODEL", self.show_functions)
            .on(r"^List 'snow://model/", self.list_files)
            .on(r"^GET 'snow://model/", self.get_file)
        )

    # DDL
    def _version_dir(self, model: str, version: str) -> Path:
        return self.root / model / "versions" / version

    def _copy_from_stage(self, model: str, version: str, stage_path: str) -> None:
        source = self.stages._stage_dir(stage_path)
        target = self._version_dir(model, version)
        shutil.copytree(source, target)

    def create(self, query: str, _p: Any) -> Result:
        m = re.search(rf"^CREATE MODEL {_FQN} WITH VERSION {_NAME} FROM (@\S+)", query)
        database, schema, model, version, stage = m.groups()
        if model in self.models:
            raise AssertionError(f"model {model} already exists")
        self.models[model] = ModelEntry(database, schema)
        self._copy_from_stage(model, version, stage)
        self.models[model].versions[version] = {"metadata": {}, "created_on": datetime.now()}
        self.models[model].default = version  # the first version becomes the default
        return STATUS

    def add_version(self, query: str, _p: Any) -> Result:
        m = re.search(rf"^ALTER MODEL {_FQN}\s+ADD VERSION {_NAME} FROM (@\S+)", query)
        _, _, model, version, stage = m.groups()
        if version in self.models[model].versions:
            raise AssertionError(f"version {version} of {model} already exists")
        self._copy_from_stage(model, version, stage)
        self.models[model].versions[version] = {"metadata": {}, "created_on": datetime.now()}
        return STATUS

    def set_metadata(self, query: str, _p: Any) -> Result:
        m = re.search(rf"^ALTER MODEL {_FQN}\s+MODIFY VERSION {_NAME} SET METADATA=\$\$(.*)\$\$",
                      query, re.DOTALL)
        _, _, model, version, text = m.groups()
        self.models[model].versions[version]["metadata"] = json.loads(text)
        return STATUS

    def set_default(self, query: str, _p: Any) -> Result:
        m = re.search(rf"^ALTER MODEL {_FQN}\s+SET DEFAULT_VERSION\s*=\s*{_NAME}", query)
        _, _, model, version = m.groups()
        assert version in self.models[model].versions, version
        self.models[model].default = version
        return STATUS

    # SHOW / LIST / GET
    @staticmethod
    def _like(query: str) -> str | None:
        m = re.search(r"LIKE '([^']*)'", query)
        return m.group(1) if m else None

    def show_models(self, query: str, _p: Any) -> Result:
        like = self._like(query)
        rows = [
            (e.created_on, name, "USER_MODEL", e.database, e.schema, None, "ML_DEV_ROLE",
             e.default, json.dumps(list(e.versions)), "{}")
            for name, e in self.models.items() if like is None or like.upper() == name
        ]
        return Result(SHOW_MODELS_COLUMNS, rows)

    def show_versions(self, query: str, _p: Any) -> Result:
        m = re.search(rf"IN MODEL {_FQN}", query)
        model = m.group(3)
        if model not in self.models:
            from snowflake_wire import not_found

            raise not_found(f"Model '{model}' does not exist or not authorized.")
        entry, like = self.models[model], self._like(query)
        rows = [
            (v["created_on"], name, json.dumps(["DEFAULT"] if name == entry.default else []),
             None, entry.database, entry.schema, model, name == entry.default,
             json.dumps(["PREDICT", "PREDICT_PROBA"]), json.dumps(v["metadata"]), "{}",
             (self._version_dir(model, name) / "model" / "model.yaml").read_text())
            for name, v in entry.versions.items() if like is None or like.upper() == name
        ]
        return Result(SHOW_VERSIONS_COLUMNS, rows)

    def show_functions(self, query: str, _p: Any) -> Result:
        """One row per method of the version's MANIFEST.yml (Snowflake creates them from it)."""
        import yaml

        m = re.search(rf"IN MODEL {_FQN} VERSION {_NAME}", query)
        model, version = m.group(3), m.group(4)
        manifest = yaml.safe_load((self._version_dir(model, version) / "MANIFEST.yml").read_text())
        rows = [
            (method["name"].upper(), "(INPUT OBJECT)",
             "TABLE ()" if method["type"] == "TABLE_FUNCTION" else "OBJECT", "PYTHON", "")
            for method in manifest["methods"]
        ]
        return Result(SHOW_FUNCTIONS_COLUMNS, rows)

    def _snow_path(self, query: str) -> tuple[str, str, str]:
        m = re.search(r"snow://model/[^/]+\.[^/]+\.\"?([A-Za-z0-9_]+)\"?/versions/([^/]+)/([^']*)'",
                      query)
        return m.group(1), m.group(2), m.group(3)

    def list_files(self, query: str, _p: Any) -> Result:
        model, version, rel = self._snow_path(query)
        base = self._version_dir(model, version)
        target = base / rel
        files = [target] if target.is_file() else sorted(
            p for p in target.rglob("*") if p.is_file())
        rows = [(f"versions/{version}/{f.relative_to(base).as_posix()}", f.stat().st_size, "", "")
                for f in files]
        return Result(LIST_COLUMNS, rows)

    def get_file(self, query: str, _p: Any) -> Result:
        model, version, rel = self._snow_path(query)
        target = Path(re.search(r"'file://([^']+)'", query).group(1))
        source = self._version_dir(model, version) / rel
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / source.name)
        return Result(Stages.GET_COLUMNS, [(source.name, source.stat().st_size, "DOWNLOADED", "")])
