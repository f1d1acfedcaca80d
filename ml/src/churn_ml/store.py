"""The storage interface of the pipeline and its local implementation.

``Store`` is everything the steps need from the outside world: the raw
customers, the bookkeeping tables, the feature store, the model registry and
the predictions table. ``LocalStore`` keeps all of it in a state folder
(CSV/JSON tables, joblib models); ``SnowparkStore`` (snowpark_store.py) keeps
it in Snowflake.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import pandas as pd

from churn_ml import csv_io, interrupts
from churn_ml.registry import ensure_new_version
from churn_ml.schema import (
    ENTITY_KEY,
    ENTITY_NAME,
    FEATURE_VIEW_NAME,
    MODEL_NAME,
    PIPELINE_RUN_LOG,
    PREDICTIONS,
    SCORE_BASELINE,
    TABLE_COLUMNS,
)
from churn_ml.state_files import (
    atomic_write,
    atomic_write_csv,
    atomic_write_json,
    publish_folder,
)


class Store(ABC):
    """Storage used by the pipeline steps (see module docstring)."""

    @abstractmethod
    def read_customers(self, source_table: str) -> pd.DataFrame:
        """Raw CUSTOMERS rows of ``source_table``."""

    @abstractmethod
    def append_rows(self, table: str, frame: pd.DataFrame) -> None:
        """Append rows to a bookkeeping table (one of schema.TABLE_COLUMNS)."""

    @abstractmethod
    def read_run_log(self, run_id: str) -> pd.DataFrame:
        """PIPELINE_RUN_LOG rows of one run."""

    @abstractmethod
    def register_feature_view(self, features: pd.DataFrame, version: str) -> str:
        """Register entity CUSTOMER and feature view CUSTOMER_FEATURES/version; refresh its rows."""

    @abstractmethod
    def read_feature_view(self, version: str) -> pd.DataFrame:
        """Rows of feature view CUSTOMER_FEATURES at ``version``."""

    @abstractmethod
    def model_versions(self) -> list[str]:
        """Registered versions of CHURN_MODEL."""

    @abstractmethod
    def log_model(
        self, model: Any, version: str, metrics: dict[str, Any], sample_input: pd.DataFrame
    ) -> None:
        """Register a new version; raises VersionExistsError if it exists."""

    @abstractmethod
    def load_model(self, version: str) -> Any:
        """The fitted model object of a version."""

    @abstractmethod
    def model_metrics(self, version: str) -> dict[str, Any]:
        """Metrics logged with a version."""

    @abstractmethod
    def default_version(self) -> str | None:
        """The champion: the default version promoted by the gate, or None."""

    @abstractmethod
    def set_default_version(self, version: str) -> None:
        """Make ``version`` the champion."""

    @abstractmethod
    def read_score_baseline(self, version: str) -> list[float] | None:
        """The 10 expected score fractions of a version, or None."""

    @abstractmethod
    def existing_prediction_ids(self, run_id: str) -> set[str]:
        """CUSTOMER_IDs already in PREDICTIONS for ``run_id``."""

    def save_evaluation(self, version: str, evaluation: dict[str, Any]) -> None:
        """Keep a version's evaluation report (report.evaluation) with the version.

        SnowparkStore logs it in the registry's metrics and puts its figures on the
        models stage; locally the run's report (local_run --report) holds it.
        """
        return None

    def append_predictions(self, predictions: pd.DataFrame) -> int:
        """Append only (RUN_ID, CUSTOMER_ID) pairs not stored yet; return rows written."""
        from churn_ml.inference import new_rows_only

        written = 0
        for run_id, rows in predictions.groupby("RUN_ID", sort=False):
            fresh = new_rows_only(rows, self.existing_prediction_ids(str(run_id)))
            if len(fresh):
                self.append_rows(PREDICTIONS, fresh)
            written += len(fresh)
        return written

    # Staged features and the commit of a run's scoring. The defaults are for stores that
    # cannot stage (SnowparkStore today): they publish right away, as before. LocalStore
    # overrides them so that a failed run never changes what a champion depends on.
    def stage_features(self, run_id: str, features: pd.DataFrame, version: str) -> str:
        """Keep this run's features for its training; publish them only on success."""
        return self.register_feature_view(features, version)

    def staged_features(self, run_id: str, version: str) -> pd.DataFrame:
        """The features this run staged."""
        return self.read_feature_view(version)

    def publish_features(self, run_id: str, version: str) -> None:
        """Make this run's staged features the feature view's data (after training succeeded)."""
        return None

    def commit_scoring(self, run_id: str, predictions: pd.DataFrame,
                       promote: str | None) -> int:
        """Append the run's predictions and, when ``promote`` is set, switch the champion.

        One unit: a reader sees both or neither (LocalStore); here in that order, so a
        failure before the switch leaves the old champion.
        """
        written = self.append_predictions(predictions)
        if promote is not None:
            self.set_default_version(promote)
        return written


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat()


RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_run_id(run_id: str) -> str:
    """Run ids name files of the state folder: letters, digits, _ . - only."""
    if not RUN_ID_PATTERN.match(run_id):
        raise ValueError(
            f"run id {run_id!r} is not allowed; allowed: 1-100 letters, digits, '_', '.', '-' "
            f"starting with a letter or digit"
        )
    return run_id


def _part_key(table: str, frame: pd.DataFrame) -> str:
    """Which per-run part file rows belong to: the run, or the model version (baselines)."""
    column = "RUN_ID" if "RUN_ID" in TABLE_COLUMNS[table] else "MODEL_VERSION"
    keys = set(frame[column].astype(str))
    if len(keys) != 1:
        raise ValueError(f"rows for {table} must belong to one {column}, got {sorted(keys)}")
    return check_run_id(keys.pop())


class LocalStore(Store):
    """State folder layout::

        .lock                                      StateLock (local_run holds it for a run)
        tables/<TABLE>/<run id>.csv                bookkeeping tables and PREDICTIONS, one
                                                   file per run (per model version for
                                                   SCORE_BASELINE), replaced atomically
        tables/<TABLE>.csv                         older single-file tables, read as well
        feature_store/entities.json                entity CUSTOMER
        feature_store/CUSTOMER_FEATURES/<v>/       definition.json; snapshots/<run id>.csv
                                                   (never overwritten); published.json
                                                   names the snapshot the view serves
        registry/CHURN_MODEL/<v>/                  model.joblib, metadata.json (published
                                                   as a whole folder, never overwritten)
        registry/CHURN_MODEL/default.json          the champion, the run that made it and
                                                   the champion before
        quarantine/                                rows of runs killed before they committed

    Every file is written whole and renamed into place (state_files), so a killed run
    leaves no torn file. ``sources`` maps table names to in-memory frames; any other
    source name is read as a CUSTOMERS CSV path.
    """

    def __init__(self, state_dir: str | Path, sources: dict[str, pd.DataFrame] | None = None):
        self.root = Path(state_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        self.sources = dict(sources or {})

    # raw input and tables
    def read_customers(self, source_table: str) -> pd.DataFrame:
        if source_table in self.sources:
            return self.sources[source_table].copy()
        return csv_io.read_customers_csv(source_table)

    def _legacy_table_path(self, table: str) -> Path:
        return self.root / "tables" / f"{table}.csv"

    def _part_path(self, table: str, key: str) -> Path:
        return self.root / "tables" / table / f"{key}.csv"

    def _read_csv(self, path: Path, usecols: list[str] | None = None) -> pd.DataFrame:
        return pd.read_csv(path, usecols=usecols,
                           dtype={"RUN_ID": str, "CUSTOMER_ID": str, "MODEL_VERSION": str})

    def _table_files(self, table: str, key: str | None = None) -> list[Path]:
        files = [self._legacy_table_path(table)]
        if key is None:
            folder = self.root / "tables" / table
            parts = folder.glob("*.csv") if folder.exists() else []
            files += sorted(parts, key=lambda p: (p.stat().st_mtime_ns, p.name))
        else:
            files.append(self._part_path(table, key))
        return [f for f in files if f.exists()]

    def append_rows(self, table: str, frame: pd.DataFrame) -> None:
        columns = list(TABLE_COLUMNS[table])
        if frame.empty:
            return
        path = self._part_path(table, _part_key(table, frame))
        existing = path.read_bytes() if path.exists() else b""
        new = frame[columns].to_csv(index=False, header=not existing).encode()
        # The part is rewritten whole (old rows + new) and renamed: never half a row.
        atomic_write(path, lambda tmp: tmp.write_bytes(existing + new))

    def read_table(self, table: str, usecols: list[str] | None = None,
                   key: str | None = None) -> pd.DataFrame:
        columns = usecols or list(TABLE_COLUMNS[table])
        frames = [self._read_csv(f, usecols) for f in self._table_files(table, key)]
        frames = [f for f in frames if not f.empty]
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)[columns]

    def read_run_log(self, run_id: str) -> pd.DataFrame:
        log = self.read_table(PIPELINE_RUN_LOG, key=check_run_id(run_id))
        return log[log["RUN_ID"] == run_id].reset_index(drop=True)

    def run_ids(self) -> list[str]:
        """Every run that has written to the run log."""
        log = self.read_table(PIPELINE_RUN_LOG, usecols=["RUN_ID"])
        return list(dict.fromkeys(log["RUN_ID"].astype(str)))

    # feature store
    def _view_dir(self, version: str) -> Path:
        return self.root / "feature_store" / FEATURE_VIEW_NAME / version

    def _snapshot_path(self, run_id: str, version: str) -> Path:
        return self._view_dir(version) / "snapshots" / f"{check_run_id(run_id)}.csv"

    def _ensure_definition(self, version: str) -> None:
        store = self.root / "feature_store"
        entities = store / "entities.json"
        if not entities.exists():
            atomic_write_json(entities, {ENTITY_NAME: {"join_keys": [ENTITY_KEY]}})
        definition = self._view_dir(version) / "definition.json"
        if not definition.exists():
            from churn_ml.features import FEATURE_DEFINITIONS

            atomic_write_json(definition, {
                "name": FEATURE_VIEW_NAME, "version": version, "entities": [ENTITY_NAME],
                "features": FEATURE_DEFINITIONS, "registered_at": _now(),
            })

    def stage_features(self, run_id: str, features: pd.DataFrame, version: str) -> str:
        self._ensure_definition(version)
        atomic_write_csv(self._snapshot_path(run_id, version), features)
        return version

    def staged_features(self, run_id: str, version: str) -> pd.DataFrame:
        path = self._snapshot_path(run_id, version)
        if not path.exists():
            raise LookupError(f"run {run_id} staged no features for {FEATURE_VIEW_NAME} "
                              f"version {version}")
        return pd.read_csv(path, dtype={ENTITY_KEY: str})

    def publish_features(self, run_id: str, version: str) -> None:
        if not self._snapshot_path(run_id, version).exists():
            raise LookupError(f"run {run_id} has no staged features to publish")
        atomic_write_json(self._view_dir(version) / "published.json",
                          {"run_id": run_id, "published_at": _now()})

    def register_feature_view(self, features: pd.DataFrame, version: str) -> str:
        """Stage and publish at once (callers outside a run; runs stage, then publish)."""
        run_id = "manual-" + uuid.uuid4().hex
        self.stage_features(run_id, features, version)
        self.publish_features(run_id, version)
        return version

    def published_feature_run(self, version: str) -> str | None:
        path = self._view_dir(version) / "published.json"
        return json.loads(path.read_text())["run_id"] if path.exists() else None

    def read_feature_view(self, version: str) -> pd.DataFrame:
        run_id = self.published_feature_run(version)
        path = (self._snapshot_path(run_id, version) if run_id
                else self._view_dir(version) / "data.csv")
        if not path.exists():
            raise LookupError(f"feature view {FEATURE_VIEW_NAME} version {version} not found")
        return pd.read_csv(path, dtype={ENTITY_KEY: str})

    def prune_snapshots(self) -> list[Path]:
        """Delete feature snapshots no published view and no model version refers to."""
        keep: set[tuple[str, str]] = set()
        for version in self.model_versions():
            metrics = self.model_metrics(version)
            if metrics.get("run_id") and metrics.get("feature_view_version"):
                keep.add((metrics["feature_view_version"], metrics["run_id"]))
        removed = []
        base = self.root / "feature_store" / FEATURE_VIEW_NAME
        for snapshot in base.glob("*/snapshots/*.csv") if base.exists() else []:
            version, run_id = snapshot.parent.parent.name, snapshot.stem
            if (version, run_id) in keep or self.published_feature_run(version) == run_id:
                continue
            snapshot.unlink()
            removed.append(snapshot)
        return removed

    # model registry
    def _model_dir(self) -> Path:
        return self.root / "registry" / MODEL_NAME

    def model_versions(self) -> list[str]:
        base = self._model_dir()
        if not base.exists():
            return []
        return sorted(p.name for p in base.iterdir()
                      if not p.name.startswith(".") and (p / "metadata.json").exists())

    def log_model(
        self, model: Any, version: str, metrics: dict[str, Any], sample_input: pd.DataFrame
    ) -> None:
        ensure_new_version(version, self.model_versions())
        metadata = {"version": version, "metrics": metrics, "logged_at": _now(),
                    "input_columns": list(sample_input.columns)}

        def fill(folder: Path) -> None:
            joblib.dump(model, folder / "model.joblib")
            (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))

        publish_folder(self._model_dir() / version, fill)

    def load_model(self, version: str) -> Any:
        return joblib.load(self._model_dir() / version / "model.joblib")

    def model_metrics(self, version: str) -> dict[str, Any]:
        metadata = json.loads((self._model_dir() / version / "metadata.json").read_text())
        return metadata["metrics"]

    def _default(self) -> dict[str, Any] | None:
        path = self._model_dir() / "default.json"
        return json.loads(path.read_text()) if path.exists() else None

    def default_version(self) -> str | None:
        default = self._default()
        return default["version"] if default else None

    def set_default_version(self, version: str, run_id: str | None = None) -> None:
        if version not in self.model_versions():
            raise LookupError(f"cannot make unknown version {version} the default")
        atomic_write_json(self._model_dir() / "default.json", {
            "version": version, "since": _now(), "run_id": run_id,
            "previous": self.default_version(),
        })

    def commit_scoring(self, run_id: str, predictions: pd.DataFrame,
                       promote: str | None) -> int:
        # Signals are deferred while both files are replaced: SIGINT/SIGTERM cannot split
        # them. A kill -9 between the two renames is undone by recover_unfinished_runs.
        with interrupts.deferred():
            written = self.append_predictions(predictions)
            if promote is not None:
                self.set_default_version(promote, run_id=run_id)
        return written

    def roll_back_run(self, run_id: str) -> list[str]:
        """Undo what a run killed before its scoring committed left behind; say what."""
        done = []
        default = self._default()
        if default and default.get("run_id") == run_id:
            previous = default.get("previous")
            path = self._model_dir() / "default.json"
            if previous:
                atomic_write_json(path, {"version": previous, "since": _now(),
                                         "run_id": None, "previous": None,
                                         "restored_after": run_id})
            else:
                path.unlink()
            done.append(f"champion {default['version']} switched by {run_id} rolled back "
                        f"to {previous}")
        part = self._part_path(PREDICTIONS, run_id)
        if part.exists():
            target = self.root / "quarantine" / PREDICTIONS / f"{run_id}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, target)
            done.append(f"uncommitted predictions of {run_id} moved to {target}")
        return done

    def read_score_baseline(self, version: str) -> list[float] | None:
        baseline = self.read_table(SCORE_BASELINE)
        mine = (baseline["MODEL_NAME"] == MODEL_NAME) & (baseline["MODEL_VERSION"] == version)
        rows = baseline[mine]
        if rows.empty:
            return None
        return rows.sort_values("BIN_INDEX")["EXPECTED_FRACTION"].astype(float).tolist()

    def existing_prediction_ids(self, run_id: str) -> set[str]:
        keys = self.read_table(PREDICTIONS, usecols=["RUN_ID", "CUSTOMER_ID"],
                               key=check_run_id(run_id))
        return set(keys.loc[keys["RUN_ID"] == run_id, "CUSTOMER_ID"].astype(str))

    def read_predictions(self) -> pd.DataFrame:
        frame = self.read_table(PREDICTIONS)
        if len(frame):
            frame["PREDICTION_TIMESTAMP"] = pd.to_datetime(frame["PREDICTION_TIMESTAMP"])
        return frame
