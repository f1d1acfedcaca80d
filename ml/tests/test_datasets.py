from churn_ml.schema import CUSTOMER_COLUMNS


def test_real_data_mapping(real_customers):
    assert list(real_customers.columns) == list(CUSTOMER_COLUMNS)
    assert len(real_customers) == 10000
    first = real_customers.iloc[0]
    assert first["CUSTOMER_ID"] == "15634602"
    assert first["CUSTOMER_NAME"] == "Hargrave"
    assert first["TENURE_MONTHS"] == 24
    assert bool(first["HAS_CREDIT_CARD"]) is True
    assert first["TARGET_LABEL"] == 1
    assert real_customers["TARGET_LABEL"].sum() == 2037
    assert set(real_customers["TENURE_MONTHS"].unique()) <= set(range(0, 121, 12))
    assert real_customers["LAST_UPDATED"].nunique() == 1
