"""SnowparkStore against fake snowflake.ml modules (the real ones exist only in Snowflake)."""

import sys
import types
from typing import ClassVar

import pandas as pd
import pytest

from churn_ml.registry import VersionExistsError
from churn_ml.snowpark_store import SnowparkStore
from fakes import FakeSession


class FakeVersion:
    def __init__(self, name, metrics):
        self.version_name, self.metrics = name, metrics

    def show_metrics(self):
        return self.metrics


class FakeModel:
    def __init__(self):
        self.by_name: dict[str, FakeVersion] = {}
        self.default = None

    def versions(self):
        return list(self.by_name.values())

    def version(self, name):
        return self.by_name[name]

    def __setattr__(self, key, value):
        if key == "default" and isinstance(value, str):
            value = self.by_name[value]
        super().__setattr__(key, value)


class FakeRegistry:
    models: ClassVar[dict[str, FakeModel]] = {}

    def __init__(self, session, database_name, schema_name):
        self.location = (database_name, schema_name)

    def show_models(self):
        return pd.DataFrame({"name": list(self.models)})

    def get_model(self, name):
        return self.models[name]

    def log_model(self, model, model_name, version_name, metrics, sample_input_data, comment):
        target = self.models.setdefault(model_name, FakeModel())
        target.by_name[version_name] = FakeVersion(version_name, metrics)
        if target.default is None:  # Snowflake makes the first version the default
            target.default = version_name


@pytest.fixture
def registry(monkeypatch):
    FakeRegistry.models = {}
    module = types.ModuleType("snowflake.ml.registry")
    module.Registry = FakeRegistry
    for name in ("snowflake", "snowflake.ml"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "snowflake.ml.registry", module)
    return FakeRegistry


def test_log_model_never_overwrites_and_champion_needs_promotion(registry):
    promoted = pd.DataFrame({"CANDIDATE_VERSION": []})
    session = FakeSession(frames={"GATE_DECISIONS": promoted})
    store = SnowparkStore(session)
    store.log_model(object(), "V1", {"roc_auc": 0.86}, pd.DataFrame({"A": [1.0]}))
    assert store.model_versions() == ["V1"]
    with pytest.raises(VersionExistsError):
        store.log_model(object(), "V1", {"roc_auc": 0.5}, pd.DataFrame({"A": [1.0]}))
    # The registry made V1 default by itself, but the gate never promoted it.
    assert store.default_version() is None
    session.frames["GATE_DECISIONS"] = pd.DataFrame({"CANDIDATE_VERSION": ["V1"]})
    assert store.default_version() == "V1"
    store.log_model(object(), "V2", {"roc_auc": 0.87}, pd.DataFrame({"A": [1.0]}))
    store.set_default_version("V2")
    assert registry.models["CHURN_MODEL"].default.version_name == "V2"
    assert store.model_metrics("V1") == {"roc_auc": 0.86}


class FakeColumn:
    def __init__(self, table, name):
        self.table, self.name = table, name

    def __eq__(self, other):
        return ("eq", self.name, other.name)

    __hash__ = object.__hash__


class FakeFrame:
    def __init__(self, frame):
        self.frame = frame

    def __getitem__(self, name):
        return FakeColumn(self, name)


class FakeTarget(FakeFrame):
    def merge(self, source, condition, clauses):
        assert condition == ("eq", "CUSTOMER_ID", "CUSTOMER_ID")
        present = set(self.frame["CUSTOMER_ID"])
        new = source.frame[~source.frame["CUSTOMER_ID"].isin(present)]
        self.frame = pd.concat([self.frame, new], ignore_index=True)
        return types.SimpleNamespace(rows_inserted=len(new), rows_updated=0, rows_deleted=0)


class MergeSession(FakeSession):
    def __init__(self):
        super().__init__(task_run_id=None)
        self.target = FakeTarget(pd.DataFrame({"CUSTOMER_ID": []}))

    def table(self, name):
        return self.target

    def create_dataframe(self, frame):
        return FakeFrame(frame)


def test_load_sample_customers_is_idempotent(monkeypatch):
    import json

    from churn_ml import procedures

    functions = types.ModuleType("snowflake.snowpark.functions")
    functions.when_not_matched = lambda: types.SimpleNamespace(insert=lambda values: values)
    for name in ("snowflake", "snowflake.snowpark"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "snowflake.snowpark.functions", functions)
    session = MergeSession()
    first = json.loads(procedures.load_sample_customers(session, 50, 1, "DEV_RAW_DB.PUBLIC.C"))
    again = json.loads(procedures.load_sample_customers(session, 80, 1, "DEV_RAW_DB.PUBLIC.C"))
    assert first["rows_inserted"] == 50 and again["rows_inserted"] == 30
    assert session.target.frame["CUSTOMER_ID"].is_unique
