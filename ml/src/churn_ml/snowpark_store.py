"""Store over a Snowpark session: tables, Feature Store and Model Registry.

snowflake.* packages exist only inside Snowflake, so they are imported
lazily in the methods that need them. Kept thin: all logic is in the steps.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from churn_ml import snowflake_sql as sql
from churn_ml.features import FEATURE_COLUMNS, sorted_by_entity
from churn_ml.registry import (
    MODEL_LOG_OPTIONS,
    ChampionIncompatibleError,
    ensure_new_version,
)
from churn_ml.schema import (
    CUSTOMER_COLUMNS,
    ENTITY_KEY,
    ENTITY_NAME,
    FEATURE_VIEW_NAME,
    LABEL,
    MODEL_NAME,
    TABLE_COLUMNS,
    TABLE_SCHEMAS,
)
from churn_ml.store import Store

FEATURES_SCHEMA = "FEATURES"
REGISTRY_SCHEMA = "PIPELINES"
MODELS_STAGE = "MODELS_STAGE"
# One table per feature view version, written once: the version's snapshot. Its view
# selects the features only; the label stays in the table for the training read.
SNAPSHOT_TABLE_PREFIX = "CUSTOMER_FEATURES_SNAPSHOT_"


def snapshot_table(version: str) -> str:
    return f"{SNAPSHOT_TABLE_PREFIX}{version}"


def _current(name: str | None, what: str) -> str:
    if not name:
        raise RuntimeError(
            f"the Snowpark session has no current {what}: the procedure's caller or task "
            f"must set one (USE {what.upper()} ...)"
        )
    return name.strip('"')


def _bindable(value: Any) -> Any:
    """A frame cell as the connector binds it: Python scalars, datetime, None for missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def customer_bind_values(frame: pd.DataFrame) -> list[Any]:
    """The rows of ``frame``, flattened in CUSTOMER_COLUMNS order, as merge_new_customers
    binds them."""
    ordered = frame[list(CUSTOMER_COLUMNS)].astype(object)
    return [_bindable(v) for row in ordered.itertuples(index=False) for v in row]


def _feature_view_missing(error: ValueError) -> bool:
    # FeatureStore.get_feature_view (snowflake-ml-python 1.7.2, feature_store.py) raises
    # ValueError("Failed to find FeatureView ...") when the version does not exist; any
    # other error (a missing privilege, a lost session) must reach the run log as is.
    return str(error).lstrip("()0123456789 ").startswith("Failed to find FeatureView")


class SnowparkStore(Store):
    def __init__(self, session: Any, ml_db: str | None = None):
        self.session = session
        self.ml_db = ml_db or _current(session.get_current_database(), "database")

    # raw input and tables
    def read_customers(self, source_table: str) -> pd.DataFrame:
        return self.session.table(source_table).to_pandas()

    def append_rows(self, table: str, frame: pd.DataFrame) -> None:
        self.session.write_pandas(
            frame[list(TABLE_COLUMNS[table])].reset_index(drop=True),
            table_name=table,
            database=self.ml_db,
            schema=TABLE_SCHEMAS[table],
            overwrite=False,
            auto_create_table=False,
            use_logical_type=True,
        )

    def _query(self, query: str, params: list[Any]) -> pd.DataFrame:
        return self.session.sql(query, params=params).to_pandas()

    def read_run_log(self, run_id: str) -> pd.DataFrame:
        return self._query(sql.select_run_log(self.ml_db), [run_id])

    def existing_prediction_ids(self, run_id: str) -> set[str]:
        rows = self._query(sql.select_prediction_ids(self.ml_db), [run_id])
        return set(rows["CUSTOMER_ID"].astype(str)) if len(rows) else set()

    def read_score_baseline(self, version: str) -> list[float] | None:
        rows = self._query(sql.select_score_baseline(self.ml_db), [MODEL_NAME, version])
        return rows["EXPECTED_FRACTION"].astype(float).tolist() if len(rows) else None

    # feature store
    def _feature_store(self) -> Any:
        from snowflake.ml.feature_store import CreationMode, FeatureStore

        return FeatureStore(
            session=self.session,
            database=self.ml_db,
            name=FEATURES_SCHEMA,
            default_warehouse=_current(self.session.get_current_warehouse(), "warehouse"),
            creation_mode=CreationMode.CREATE_IF_NOT_EXIST,
        )

    def _existing_view(self, fs: Any, version: str) -> Any | None:
        try:
            return fs.get_feature_view(FEATURE_VIEW_NAME, version)
        except ValueError as error:
            if _feature_view_missing(error):
                return None
            raise

    def register_feature_view(self, features: pd.DataFrame, version: str) -> str:
        """Register ``version`` over its own snapshot table; an existing version is kept.

        ``version`` names the content (features.snapshot_version), so the rows of a
        registered version never change; the label is in the snapshot table but not in
        the view, so it is not registered as a feature.
        """
        from snowflake.ml.feature_store import Entity, FeatureView

        fs = self._feature_store()
        if self._existing_view(fs, version) is not None:
            return version
        table = snapshot_table(version)
        # overwrite=True only ever rewrites the same content: a version names its rows.
        self.session.write_pandas(
            sorted_by_entity(features),
            table_name=table,
            database=self.ml_db,
            schema=FEATURES_SCHEMA,
            overwrite=True,
            auto_create_table=True,
            use_logical_type=True,
        )
        entity_names = {str(n).strip('"') for n in fs.list_entities().to_pandas()["NAME"]}
        if ENTITY_NAME in entity_names:
            entity = fs.get_entity(ENTITY_NAME)
        else:
            entity = Entity(name=ENTITY_NAME, join_keys=[ENTITY_KEY], desc="bank customer")
            fs.register_entity(entity)
        source = self.session.table(f"{self.ml_db}.{FEATURES_SCHEMA}.{table}")
        view = FeatureView(
            name=FEATURE_VIEW_NAME,
            entities=[entity],
            feature_df=source.select(ENTITY_KEY, *FEATURE_COLUMNS),
            desc="engineered churn features (churn_ml.features), one snapshot per version",
        )
        fs.register_feature_view(feature_view=view, version=version, block=True)
        return version

    def read_feature_view(self, version: str) -> pd.DataFrame:
        """Features of ``version`` with the label of its snapshot, in CUSTOMER_ID order."""
        fs = self._feature_store()
        view = fs.get_feature_view(FEATURE_VIEW_NAME, version)
        features = fs.read_feature_view(view).sort(ENTITY_KEY).to_pandas()
        labels = (
            self.session.table(f"{self.ml_db}.{FEATURES_SCHEMA}.{snapshot_table(version)}")
            .select(ENTITY_KEY, LABEL)
            .sort(ENTITY_KEY)
            .to_pandas()
        )
        merged = features.merge(labels, on=ENTITY_KEY, how="inner", validate="one_to_one")
        return sorted_by_entity(merged)

    # model registry
    def _registry(self) -> Any:
        from snowflake.ml.registry import Registry

        return Registry(
            session=self.session, database_name=self.ml_db, schema_name=REGISTRY_SCHEMA
        )

    def _model(self) -> Any | None:
        """CHURN_MODEL, or None when the schema has no such model.

        Registry.show_models() builds its DataFrame from SHOW MODELS rows, so a schema
        without models gives a frame with no columns at all (snowflake-ml-python 1.7.2,
        registry/_manager/model_manager.py); get_model() raises ValueError for a missing
        model.
        """
        registry = self._registry()
        models = registry.show_models()
        names = {str(n).strip('"') for n in models["name"]} if "name" in models.columns else set()
        return registry.get_model(MODEL_NAME) if MODEL_NAME in names else None

    def _existing_model(self) -> Any:
        model = self._model()
        if model is None:
            raise LookupError(f"model {MODEL_NAME} is not registered in {self.ml_db}."
                              f"{REGISTRY_SCHEMA}")
        return model

    def model_versions(self) -> list[str]:
        model = self._model()
        return [v.version_name for v in model.versions()] if model is not None else []

    def log_model(
        self, model: Any, version: str, metrics: dict[str, Any], sample_input: pd.DataFrame
    ) -> None:
        ensure_new_version(version, self.model_versions())
        self._registry().log_model(
            model,
            model_name=MODEL_NAME,
            version_name=version,
            metrics=metrics,
            sample_input_data=sample_input,
            options=dict(MODEL_LOG_OPTIONS),
            comment="churn_ml candidate",
        )

    def load_model(self, version: str) -> Any:
        model_version = self._existing_model().version(version)
        try:
            return model_version.load()
        except ValueError as error:
            # ModelVersion.load() validates the recorded dependencies against this
            # environment and raises ValueError listing what differs (model_version_impl.py).
            if "Unable to load this model" in str(error):
                raise ChampionIncompatibleError(
                    f"{MODEL_NAME} version {version} cannot be loaded here: {error}"
                ) from error
            raise

    def model_metrics(self, version: str) -> dict[str, Any]:
        return dict(self._existing_model().version(version).show_metrics())

    def default_version(self) -> str | None:
        # Snowflake makes the first logged version the default by itself, so
        # the default counts as champion only if the gate promoted it.
        model = self._model()
        if model is None:
            return None
        default = model.default.version_name
        promoted = self._query(sql.select_promoted_versions(self.ml_db), [MODEL_NAME])
        versions = {str(v) for v in promoted["CANDIDATE_VERSION"]} if len(promoted) else set()
        return default if default in versions else None

    def set_default_version(self, version: str) -> None:
        self._existing_model().default = version

    def save_evaluation(self, version: str, evaluation: dict[str, Any]) -> None:
        """Registry metric ``evaluation`` on the version; the HTML page and PNGs on
        @MODELS_STAGE/reports/<version>/ (SPEC section 3: PIPELINES.MODELS_STAGE)."""
        import tempfile
        from pathlib import Path

        from churn_ml.report import write_report

        self._existing_model().version(version).set_metric("evaluation", evaluation)
        stage = f"@{self.ml_db}.{REGISTRY_SCHEMA}.{MODELS_STAGE}/reports/{version}"
        with tempfile.TemporaryDirectory() as folder:
            paths = write_report(evaluation, Path(folder) / f"{version}.html",
                                 f"{MODEL_NAME} {version}")
            for path in paths.values():
                self.session.file.put(str(path), stage, auto_compress=False, overwrite=True)

    # sample data
    def merge_customers(self, frame: pd.DataFrame, target_table: str) -> int:
        """MERGE by CUSTOMER_ID inserting only ids not present yet; return rows inserted.

        Bound VALUES in chunks, never a DataFrame upload: this runs in the owner's-rights
        sample loader, where a named temporary table is refused (sql.merge_new_customers)."""
        inserted = 0
        for start in range(0, len(frame), sql.MERGE_CHUNK_ROWS):
            chunk = frame.iloc[start:start + sql.MERGE_CHUNK_ROWS]
            rows = self.session.sql(sql.merge_new_customers(target_table, len(chunk)),
                                    params=customer_bind_values(chunk)).collect()
            inserted += int(rows[0][0])
        return inserted
