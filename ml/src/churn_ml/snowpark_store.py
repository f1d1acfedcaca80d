"""Store over a Snowpark session: tables, Feature Store and Model Registry.

snowflake.* packages exist only inside Snowflake, so they are imported
lazily in the methods that need them. Kept thin: all logic is in the steps.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from churn_ml import snowflake_sql as sql
from churn_ml.registry import ensure_new_version
from churn_ml.schema import (
    ENTITY_KEY,
    ENTITY_NAME,
    FEATURE_VIEW_NAME,
    MODEL_NAME,
    TABLE_COLUMNS,
    TABLE_SCHEMAS,
)
from churn_ml.store import Store

FEATURES_SCHEMA = "FEATURES"
REGISTRY_SCHEMA = "PIPELINES"
# Rows behind the feature view, replaced each run; the view (one per feature
# definition version) is registered over it.
FEATURE_SOURCE_TABLE = "CUSTOMER_FEATURES_SOURCE"


def _unquote(name: str | None) -> str:
    if not name:
        raise RuntimeError("the Snowpark session has no current database")
    return name.strip('"')


class SnowparkStore(Store):
    def __init__(self, session: Any, ml_db: str | None = None):
        self.session = session
        self.ml_db = ml_db or _unquote(session.get_current_database())

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
            default_warehouse=_unquote(self.session.get_current_warehouse()),
            creation_mode=CreationMode.CREATE_IF_NOT_EXIST,
        )

    def register_feature_view(self, features: pd.DataFrame, version: str) -> str:
        from snowflake.ml.feature_store import Entity, FeatureView

        fs = self._feature_store()
        self.session.write_pandas(
            features.reset_index(drop=True),
            table_name=FEATURE_SOURCE_TABLE,
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
        try:
            fs.get_feature_view(FEATURE_VIEW_NAME, version)
        except Exception:
            view = FeatureView(
                name=FEATURE_VIEW_NAME,
                entities=[entity],
                feature_df=self.session.table(
                    f"{self.ml_db}.{FEATURES_SCHEMA}.{FEATURE_SOURCE_TABLE}"
                ),
                desc="engineered churn features (churn_ml.features)",
            )
            fs.register_feature_view(feature_view=view, version=version, block=True)
        return version

    def read_feature_view(self, version: str) -> pd.DataFrame:
        fs = self._feature_store()
        view = fs.get_feature_view(FEATURE_VIEW_NAME, version)
        return fs.read_feature_view(view).to_pandas()

    # model registry
    def _registry(self) -> Any:
        from snowflake.ml.registry import Registry

        return Registry(
            session=self.session, database_name=self.ml_db, schema_name=REGISTRY_SCHEMA
        )

    def _model(self) -> Any | None:
        registry = self._registry()
        names = {str(n).strip('"') for n in registry.show_models()["name"]}
        return registry.get_model(MODEL_NAME) if MODEL_NAME in names else None

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
            comment="churn_ml candidate",
        )

    def load_model(self, version: str) -> Any:
        return self._registry().get_model(MODEL_NAME).version(version).load()

    def model_metrics(self, version: str) -> dict[str, Any]:
        return dict(self._registry().get_model(MODEL_NAME).version(version).show_metrics())

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
        self._registry().get_model(MODEL_NAME).default = version

    # sample data
    def merge_customers(self, frame: pd.DataFrame, target_table: str) -> int:
        """MERGE by CUSTOMER_ID inserting only ids not present yet; return rows inserted."""
        from snowflake.snowpark.functions import when_not_matched

        target = self.session.table(target_table)
        source = self.session.create_dataframe(frame.reset_index(drop=True))
        result = target.merge(
            source,
            target["CUSTOMER_ID"] == source["CUSTOMER_ID"],
            [when_not_matched().insert({c: source[c] for c in frame.columns})],
        )
        return int(result.rows_inserted)
