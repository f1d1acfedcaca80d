"""SnowparkStore through the real snowflake-snowpark-python 1.26.0 and snowflake-ml-python 1.7.2.

Only the server is simulated (snowflake_wire.py: the connection under a real Session;
registry_server.py: Snowflake's answers to the registry statements, stage files in a
folder). Each test here failed against the code before issue 11.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.ensemble import HistGradientBoostingClassifier

from churn_ml import snowflake_sql
from churn_ml.registry import ChampionIncompatibleError, VersionExistsError
from churn_ml.snowpark_store import SnowparkStore
from registry_server import RegistryServer
from snowflake_wire import STATUS, Result, Stages, Wire, wire_session


class Account:
    """One scripted account: registry, stages, and the gate's promoted versions."""

    def __init__(self, root: Path, warehouse: str | None = "DEV_WH_XS"):
        self.promoted: list[str] = []
        self.wire = Wire()
        self.wire.on(r"^SELECT CURRENT_VERSION\(\)", Result([("CURRENT_VERSION", "TEXT")],
                                                             [("8.45.1",)]))
        self.wire.on(r"^CREATE SCOPED TEMPORARY STAGE", STATUS)
        self.wire.on(r"GATE_DECISIONS", lambda q, p: Result(
            [("CANDIDATE_VERSION", "TEXT")], [(v,) for v in self.promoted]))
        self.registry = RegistryServer(root / "models", Stages(root / "stages"))
        self.registry.attach(self.wire)
        self.session = wire_session(self.wire, warehouse=warehouse)
        self.store = SnowparkStore(self.session)

    def model_yaml(self, version: str) -> Path:
        return self.registry.root / "CHURN_MODEL" / "versions" / version / "model" / "model.yaml"


@pytest.fixture
def account(tmp_path, monkeypatch):
    # Outside a stored procedure, log_model looks snowflake-ml-python up in the
    # repodata.json of Snowflake's conda channel (env_utils.py); that download is
    # simulated by the cache it fills: the channel has 1.7.2.
    from packaging.version import Version
    from snowflake.ml._internal import env_utils

    monkeypatch.setitem(env_utils._SNOWFLAKE_CONDA_PACKAGE_CACHE, "snowflake-ml-python",
                        [Version("1.7.2")])
    return Account(tmp_path)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    x = pd.DataFrame(rng.rand(300, 3), columns=["A", "B", "C"])
    y = (x["A"] + 0.3 * rng.rand(300) > 0.6).astype(int)
    return HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(x, y), x


def test_fresh_schema_has_no_versions_and_no_champion(account):
    from snowflake.ml.registry import Registry

    # What the real library returns for a schema without models: no columns at all.
    empty = Registry(account.session, database_name="DEV_ML_DB",
                     schema_name="PIPELINES").show_models()
    assert empty.empty and list(empty.columns) == []
    assert account.store.model_versions() == []
    assert account.store.default_version() is None
    with pytest.raises(LookupError, match="CHURN_MODEL is not registered"):
        account.store.model_metrics("V1")
    assert account.wire.sent(r"^SHOW MODELS")


def test_logged_version_loads_where_shap_is_not_installed(account, fitted):
    model, x = fitted
    with pytest.raises(ImportError):
        import shap  # noqa: F401  (the procedures do not declare it either)
    account.store.log_model(model, "V1", {"roc_auc": 0.86}, x.head(20))
    spec = yaml.safe_load(account.model_yaml("V1").read_text())
    assert not spec.get("explainability")
    env = account.model_yaml("V1").parent / "env"
    dependencies = (env / "conda.yml").read_text() + (env / "requirements.txt").read_text()
    assert "shap" not in dependencies
    # Exact pins (relax_version False): an upgrade is detected at load, not guessed.
    assert "scikit-learn==1.5.2" in dependencies
    loaded = account.store.load_model("V1")
    np.testing.assert_allclose(loaded.predict_proba(x)[:, 1], model.predict_proba(x)[:, 1])


def test_versions_never_overwritten_and_champion_needs_promotion(account, fitted):
    model, x = fitted
    store = account.store
    store.log_model(model, "V1", {"roc_auc": 0.86}, x.head(5))
    assert store.model_versions() == ["V1"]
    with pytest.raises(VersionExistsError):
        store.log_model(model, "V1", {"roc_auc": 0.5}, x.head(5))
    # Snowflake made V1 the default by itself, but the gate never promoted it.
    assert account.registry.models["CHURN_MODEL"].default == "V1"
    assert store.default_version() is None
    account.promoted.append("V1")
    assert store.default_version() == "V1"
    store.log_model(model, "V2", {"roc_auc": 0.87, "roc_auc_ci_low": 0.85}, x.head(5))
    store.set_default_version("V2")
    assert account.registry.models["CHURN_MODEL"].default == "V2"
    assert account.wire.sent(r"SET DEFAULT_VERSION\s*=\s*V2")
    assert store.model_metrics("V1") == {"roc_auc": 0.86}
    assert store.model_metrics("V2")["roc_auc_ci_low"] == 0.85
    promoted_query = snowflake_sql.select_promoted_versions("DEV_ML_DB")
    assert promoted_query in account.wire.queries


def test_champion_logged_under_other_pins_is_reported_not_force_loaded(account, fitted):
    model, x = fitted
    account.store.log_model(model, "V1", {"roc_auc": 0.86}, x.head(5))
    # The version was logged before an upgrade of the pins: its spec records 1.4.2.
    path = account.model_yaml("V1")
    for f in (path.parent / "env").iterdir():
        f.write_text(f.read_text().replace("scikit-learn==1.5.2", "scikit-learn==1.4.2"))
    with pytest.raises(ChampionIncompatibleError, match="scikit-learn"):
        account.store.load_model("V1")


def test_missing_warehouse_is_named(tmp_path):
    account = Account(tmp_path, warehouse=None)
    account.wire.on(r"CURRENT_WAREHOUSE\(\)", Result([("CURRENT_WAREHOUSE()", "TEXT")],
                                                      [(None,)]))
    with pytest.raises(RuntimeError, match="no current warehouse"):
        account.store._feature_store()


def test_evaluation_is_logged_with_the_version(account, fitted):
    from churn_ml import report

    model, x = fitted
    account.store.log_model(model, "V1", {"roc_auc": 0.86}, x.head(5))
    y = (x["A"] > 0.6).astype(int).to_numpy()
    evaluation = report.evaluation(y, model.predict_proba(x)[:, 1],
                                   versions={"candidate": "V1", "champion": None})
    account.store.save_evaluation("V1", evaluation)
    assert account.store.model_metrics("V1")["evaluation"] == evaluation
    stage = (account.registry.stages.root / "DEV_ML_DB.PIPELINES.MODELS_STAGE" / "reports"
             / "V1")
    assert sorted(p.name for p in stage.iterdir()) == sorted(
        ["V1.html"] + [f"V1_{name}.png" for name in report.FIGURES])
