import pandas as pd

from churn_ml import sample_data
from churn_ml.sample_data import generate_customers
from churn_ml.schema import CUSTOMER_COLUMNS
from churn_ml.validation import validate_customers


def test_deterministic_ids_and_rows():
    first = generate_customers(500, seed=3)
    again = generate_customers(500, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert first["CUSTOMER_ID"].iloc[0] == "SAMPLE-0000001"
    assert first["CUSTOMER_ID"].iloc[-1] == "SAMPLE-0000500"
    assert list(first.columns) == list(CUSTOMER_COLUMNS)
    assert not generate_customers(500, seed=4).equals(first)


def test_prefix_stable_across_row_counts(monkeypatch):
    monkeypatch.setattr(sample_data, "CHUNK_ROWS", 100)
    small = generate_customers(150, seed=9)
    large = generate_customers(350, seed=9)
    pd.testing.assert_frame_equal(small, large.head(150))


def test_rows_are_valid(sample_customers):
    assert validate_customers(sample_customers).rejected_rows == 0


def test_churn_depends_on_features():
    frame = generate_customers(20000, seed=11)
    rate = frame.groupby("GEOGRAPHY")["TARGET_LABEL"].mean()
    assert rate["Germany"] > rate["France"] + 0.05
    active = frame.groupby("IS_ACTIVE_MEMBER")["TARGET_LABEL"].mean()
    assert active[False] > active[True] + 0.05
    products = frame.groupby("NUM_PRODUCTS")["TARGET_LABEL"].mean()
    assert products[3] > products[1] > products[2]
    gender = frame.groupby("GENDER")["TARGET_LABEL"].mean()
    assert gender["Female"] > gender["Male"]
    assert 0.1 < frame["TARGET_LABEL"].mean() < 0.35
