"""The storage interface of the pipeline and its local implementation.

``Store`` is everything the steps need from the outside world: the raw
customers, the bookkeeping tables, the feature store, the model registry and
the predictions table. ``LocalStore`` keeps all of it in a state folder
(CSV/JSON tables, joblib models); ``SnowparkStore`` (snowpark_store.py) keeps
it in Snowflake.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import pandas as pd

from churn_ml import csv_io
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


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat()


class LocalStore(Store):
    """State folder layout::

        tables/<TABLE>.csv                         bookkeeping tables and PREDICTIONS
        feature_store/entities.json                entity CUSTOMER
        feature_store/CUSTOMER_FEATURES/<v>/       definition.json, data.csv
        registry/CHURN_MODEL/<v>/                  model.joblib, metadata.json
        registry/CHURN_MODEL/default.json          the champion

    ``sources`` maps table names to in-memory frames; any other source name is
    read as a CUSTOMERS CSV path.
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

    def _table_path(self, table: str) -> Path:
        return self.root / "tables" / f"{table}.csv"

    def append_rows(self, table: str, frame: pd.DataFrame) -> None:
        columns = list(TABLE_COLUMNS[table])
        path = self._table_path(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame[columns].to_csv(path, mode="a", header=not path.exists(), index=False)

    def read_table(self, table: str, usecols: list[str] | None = None) -> pd.DataFrame:
        path = self._table_path(table)
        if not path.exists():
            return pd.DataFrame(columns=usecols or list(TABLE_COLUMNS[table]))
        return pd.read_csv(path, usecols=usecols, dtype={"RUN_ID": str, "CUSTOMER_ID": str})

    def read_run_log(self, run_id: str) -> pd.DataFrame:
        log = self.read_table(PIPELINE_RUN_LOG)
        return log[log["RUN_ID"] == run_id].reset_index(drop=True)

    # feature store
    def register_feature_view(self, features: pd.DataFrame, version: str) -> str:
        store = self.root / "feature_store"
        view = store / FEATURE_VIEW_NAME / version
        view.mkdir(parents=True, exist_ok=True)
        entities = store / "entities.json"
        if not entities.exists():
            entities.write_text(json.dumps({ENTITY_NAME: {"join_keys": [ENTITY_KEY]}}, indent=2))
        definition = view / "definition.json"
        if not definition.exists():
            from churn_ml.features import FEATURE_DEFINITIONS

            definition.write_text(
                json.dumps(
                    {
                        "name": FEATURE_VIEW_NAME,
                        "version": version,
                        "entities": [ENTITY_NAME],
                        "features": FEATURE_DEFINITIONS,
                        "registered_at": _now(),
                    },
                    indent=2,
                )
            )
        features.to_csv(view / "data.csv", index=False)
        return version

    def read_feature_view(self, version: str) -> pd.DataFrame:
        path = self.root / "feature_store" / FEATURE_VIEW_NAME / version / "data.csv"
        if not path.exists():
            raise LookupError(f"feature view {FEATURE_VIEW_NAME} version {version} not found")
        return pd.read_csv(path, dtype={ENTITY_KEY: str})

    # model registry
    def _model_dir(self) -> Path:
        return self.root / "registry" / MODEL_NAME

    def model_versions(self) -> list[str]:
        base = self._model_dir()
        if not base.exists():
            return []
        return sorted(p.name for p in base.iterdir() if (p / "metadata.json").exists())

    def log_model(
        self, model: Any, version: str, metrics: dict[str, Any], sample_input: pd.DataFrame
    ) -> None:
        ensure_new_version(version, self.model_versions())
        target = self._model_dir() / version
        target.mkdir(parents=True, exist_ok=False)
        joblib.dump(model, target / "model.joblib")
        metadata = {"version": version, "metrics": metrics, "logged_at": _now(),
                    "input_columns": list(sample_input.columns)}
        (target / "metadata.json").write_text(json.dumps(metadata, indent=2))

    def load_model(self, version: str) -> Any:
        return joblib.load(self._model_dir() / version / "model.joblib")

    def model_metrics(self, version: str) -> dict[str, Any]:
        metadata = json.loads((self._model_dir() / version / "metadata.json").read_text())
        return metadata["metrics"]

    def default_version(self) -> str | None:
        path = self._model_dir() / "default.json"
        return json.loads(path.read_text())["version"] if path.exists() else None

    def set_default_version(self, version: str) -> None:
        if version not in self.model_versions():
            raise LookupError(f"cannot make unknown version {version} the default")
        path = self._model_dir() / "default.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": version, "since": _now()}))
        tmp.replace(path)

    def read_score_baseline(self, version: str) -> list[float] | None:
        baseline = self.read_table(SCORE_BASELINE)
        mine = (baseline["MODEL_NAME"] == MODEL_NAME) & (baseline["MODEL_VERSION"] == version)
        rows = baseline[mine]
        if rows.empty:
            return None
        return rows.sort_values("BIN_INDEX")["EXPECTED_FRACTION"].astype(float).tolist()

    def existing_prediction_ids(self, run_id: str) -> set[str]:
        keys = self.read_table(PREDICTIONS, usecols=["RUN_ID", "CUSTOMER_ID"])
        return set(keys.loc[keys["RUN_ID"] == run_id, "CUSTOMER_ID"].astype(str))

    def read_predictions(self) -> pd.DataFrame:
        frame = self.read_table(PREDICTIONS)
        if len(frame):
            frame["PREDICTION_TIMESTAMP"] = pd.to_datetime(frame["PREDICTION_TIMESTAMP"])
        return frame
