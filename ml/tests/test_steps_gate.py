"""Issue 11 over the local store: snapshots, a split independent of row order, a gate that
scores champion and challenger on the same rows and survives a dependency upgrade."""

import json

import pytest

from churn_ml import steps, training
from churn_ml.features import build_features
from churn_ml.registry import ChampionIncompatibleError
from churn_ml.store import LocalStore
from churn_ml.validation import validate_customers

SOURCE = "RAW.PUBLIC.CUSTOMERS"


@pytest.fixture
def store(tmp_path, sample_customers):
    return LocalStore(tmp_path / "state", sources={SOURCE: sample_customers})


def _through_training(store, run_id):
    steps.start_pipeline_run(store, run_id)
    steps.engineer_features(store, run_id, SOURCE)
    return steps.train_and_register_model(store, run_id)


def test_feature_view_versions_are_snapshots(store, sample_customers):
    # A run's features become the view's data once its training succeeded (published).
    first = _through_training(store, "run-1")["feature_view_version"]
    rows_first = store.read_feature_view(first)
    assert _through_training(store, "run-2")["feature_view_version"] == first
    changed = sample_customers.copy()
    changed.loc[changed.index[:10], "ACCOUNT_BALANCE"] = 12345.67
    store.sources[SOURCE] = changed
    second = _through_training(store, "run-3")["feature_view_version"]
    assert second != first
    # The older version still shows its own rows, not the newest ones.
    assert store.read_feature_view(first).equals(rows_first)
    assert (store.read_feature_view(second)["ACCOUNT_BALANCE"] == 12345.67).sum() == 10


def test_split_does_not_depend_on_row_order(sample_customers):
    features = build_features(validate_customers(sample_customers).valid)
    shuffled = features.sample(frac=1.0, random_state=1)
    a, b = training.split(features), training.split(shuffled)
    assert list(a.ids_test) == list(b.ids_test)
    assert a.x_test.reset_index(drop=True).equals(b.x_test.reset_index(drop=True))


def test_candidate_is_tuned_on_training_rows_and_logs_its_interval(store):
    trained = _through_training(store, "run-aaaaaa")
    assert trained["params"] in [dict(p) for p in training.CANDIDATE_PARAMS]
    low, high = trained["roc_auc_interval"]
    assert low < trained["metrics"]["roc_auc"] < high
    logged = store.model_metrics(trained["model_version"])
    assert logged["roc_auc_ci_low"] == pytest.approx(low)
    assert logged["roc_auc_ci_high"] == pytest.approx(high)
    assert logged["roc_auc_ci_confidence"] == 0.95


class RecordingStore(LocalStore):
    """Records the customers each loaded model scores."""

    scored: dict[str, list[bytes]]

    def load_model(self, version):
        model = super().load_model(version)
        scored = self.scored.setdefault(version, [])

        class Recording:
            def predict_proba(self, x):
                scored.append(x.to_numpy().tobytes())
                return model.predict_proba(x)

        return Recording()


def test_gate_scores_champion_and_challenger_on_the_same_rows(tmp_path, sample_customers):
    store = RecordingStore(tmp_path, sources={SOURCE: sample_customers})
    store.scored = {}
    first = _through_training(store, "run-aaaaaa")
    steps.apply_validation_gate(store, "run-aaaaaa", 0.6, 0.02)
    steps.score_customers(store, "run-aaaaaa", SOURCE)
    second = _through_training(store, "run-bbbbbb")
    store.scored = {}
    gate = steps.apply_validation_gate(store, "run-bbbbbb", 0.6, 0.02)
    champion, candidate = first["model_version"], second["model_version"]
    assert store.scored[champion] == store.scored[candidate] and store.scored[champion]
    record = gate["decision"]
    assert record["difference"]["estimate"] == pytest.approx(0.0, abs=0.05)
    assert record["difference"]["low"] <= record["difference"]["estimate"]
    assert record["champion_roc_auc"]["estimate"] == pytest.approx(gate["champion_roc_auc"])
    # Same data, same tuned model: the challenger is no worse; promoted by the interval rule.
    assert gate["promoted"] and "on the same rows" in gate["reason"]
    logged = json.loads(store.read_run_log("run-bbbbbb")["DETAILS"].iloc[-1])
    assert logged["decision"]["difference"] == record["difference"]
    evaluation = gate["evaluation"]
    assert evaluation["versions"] == {"candidate": candidate, "champion": champion}
    assert evaluation["champion"]["metrics"]["roc_auc"] == pytest.approx(
        gate["champion_roc_auc"])


def test_champion_that_cannot_load_after_an_upgrade_is_replaced(tmp_path, sample_customers):
    old: set[str] = set()

    class UpgradedStore(LocalStore):
        def load_model(self, version):
            if version in old:
                raise ChampionIncompatibleError(
                    f"{version}: scikit-learn==1.4.2 recorded, 1.5.2 installed")
            return super().load_model(version)

    store = UpgradedStore(tmp_path, sources={SOURCE: sample_customers})
    first = _through_training(store, "run-aaaaaa")
    steps.apply_validation_gate(store, "run-aaaaaa", 0.6, 0.02)
    steps.score_customers(store, "run-aaaaaa", SOURCE)
    old.add(first["model_version"])
    second = _through_training(store, "run-bbbbbb")
    gate = steps.apply_validation_gate(store, "run-bbbbbb", 0.6, 0.02)
    assert gate["promoted"] and "cannot be loaded after a dependency change" in gate["reason"]
    scored = steps.score_customers(store, "run-bbbbbb", SOURCE)
    assert store.default_version() == second["model_version"]
    assert scored["model_version"] == second["model_version"]
    assert scored["predictions_written"] == len(sample_customers)


def test_scoring_with_an_incompatible_champion_fails_loudly(tmp_path, sample_customers):
    class UpgradedStore(LocalStore):
        def load_model(self, version):
            raise ChampionIncompatibleError(f"{version}: scikit-learn==1.4.2 recorded")

    store = UpgradedStore(tmp_path, sources={SOURCE: sample_customers})
    trained = _through_training(LocalStore(tmp_path, sources={SOURCE: sample_customers}), "r-1")
    store.set_default_version(trained["model_version"])
    with pytest.raises(ChampionIncompatibleError, match="scikit-learn"):
        steps.score_customers(store, "r-2", SOURCE)
    log = store.read_run_log("r-2")
    assert log["STATUS"].tolist() == ["FAILED"]
