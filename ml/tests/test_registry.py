from datetime import datetime

import pytest
from sklearn.dummy import DummyClassifier

from churn_ml.registry import VersionExistsError, is_version_name, make_version_name
from churn_ml.store import LocalStore


def test_version_name_format():
    name = make_version_name(datetime(2026, 11, 27, 17, 1, 2), "c0ffee-aa1a2b3c")
    assert name == "V20261127_170102_1A2B3C"
    assert is_version_name(name)
    assert is_version_name(make_version_name(datetime(2026, 1, 1), "no-hex-here"))


def test_same_second_different_runs_differ():
    now = datetime(2026, 11, 27, 17, 1, 2)
    assert make_version_name(now, "aaaaaa1") != make_version_name(now, "aaaaaa2")


def test_registering_an_existing_version_raises(tmp_path):
    import pandas as pd

    store = LocalStore(tmp_path)
    sample = pd.DataFrame({"A": [1.0]})
    store.log_model(DummyClassifier(), "V1", {"roc_auc": 0.9}, sample)
    with pytest.raises(VersionExistsError):
        store.log_model(DummyClassifier(), "V1", {"roc_auc": 0.5}, sample)
    assert store.model_metrics("V1")["roc_auc"] == 0.9
    assert store.model_versions() == ["V1"]
    assert store.default_version() is None
    store.set_default_version("V1")
    assert store.default_version() == "V1"
    with pytest.raises(LookupError):
        store.set_default_version("V404")
