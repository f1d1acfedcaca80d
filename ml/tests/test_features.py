import numpy as np

from churn_ml.features import (
    FEATURE_COLUMNS,
    FEATURE_DEFINITIONS,
    FEATURE_SPEC_VERSION,
    build_features,
    feature_spec_version,
)
from churn_ml.validation import validate_customers


def test_engineered_columns_and_values(sample_customers):
    valid = validate_customers(sample_customers.head(200)).valid
    features = build_features(valid)
    assert list(features.columns) == ["CUSTOMER_ID", *FEATURE_COLUMNS, "TARGET_LABEL"]
    for name in ("BALANCE_PER_PRODUCT", "TENURE_YEARS", "AGE_BAND", "ZERO_BALANCE",
                 "GEOGRAPHY_GERMANY", "GENDER_FEMALE"):
        assert name in features
    np.testing.assert_allclose(
        features["BALANCE_PER_PRODUCT"], valid["ACCOUNT_BALANCE"] / valid["NUM_PRODUCTS"])
    np.testing.assert_allclose(features["TENURE_YEARS"], valid["TENURE_MONTHS"] / 12)
    assert (features["ZERO_BALANCE"] == (valid["ACCOUNT_BALANCE"] == 0)).all()
    one_hot = features[["GEOGRAPHY_FRANCE", "GEOGRAPHY_GERMANY", "GEOGRAPHY_SPAIN"]]
    assert (one_hot.sum(axis=1) == 1).all()
    assert features.select_dtypes(exclude="number").columns.tolist() == ["CUSTOMER_ID"]


def test_age_bands():
    import pandas as pd

    from churn_ml.features import age_band

    assert age_band(pd.Series([18, 29, 30, 45, 69, 70, 92])).tolist() == [0, 0, 1, 2, 4, 5, 5]


def test_spec_version_changes_only_with_definitions():
    assert feature_spec_version() == FEATURE_SPEC_VERSION == feature_spec_version()
    changed = {**FEATURE_DEFINITIONS, "NEW_FEATURE": "AGE * 2"}
    assert feature_spec_version(changed) != FEATURE_SPEC_VERSION
    assert FEATURE_SPEC_VERSION.startswith("V") and len(FEATURE_SPEC_VERSION) == 9
