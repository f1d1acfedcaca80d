import pandas as pd
import pytest

from churn_ml.validation import EmptyInputError, SchemaError, validate_customers


def test_valid_sample_passes_with_types(sample_customers):
    result = validate_customers(sample_customers)
    assert result.rejected_rows == 0
    assert len(result.valid) == len(sample_customers)
    assert result.valid["AGE"].dtype == "int64"
    assert result.valid["HAS_CREDIT_CARD"].dtype == bool


def test_missing_column_is_named(sample_customers):
    with pytest.raises(SchemaError, match="GEOGRAPHY"):
        validate_customers(sample_customers.drop(columns=["GEOGRAPHY"]))


def test_empty_input_raises_clearly(sample_customers):
    with pytest.raises(EmptyInputError, match="no rows"):
        validate_customers(sample_customers.iloc[0:0])


def _broken(sample_customers: pd.DataFrame) -> pd.DataFrame:
    frame = sample_customers.head(20).astype(object).copy()
    frame.loc[0, "CUSTOMER_ID"] = None
    frame.loc[1, "AGE"] = -5
    frame.loc[2, "ACCOUNT_BALANCE"] = "lots"
    frame.loc[3, "GEOGRAPHY"] = "Atlantis"
    frame.loc[4, "NUM_PRODUCTS"] = 7
    frame.loc[5, "CREDIT_SCORE"] = 1200
    frame.loc[6, "TENURE_MONTHS"] = -12
    frame.loc[7, "GENDER"] = "Unknown"
    frame.loc[8, "TARGET_LABEL"] = 2
    frame.loc[9, "IS_ACTIVE_MEMBER"] = "maybe"
    frame.loc[10, "CUSTOMER_ID"] = frame.loc[11, "CUSTOMER_ID"]
    frame.loc[12, "ACCOUNT_BALANCE"] = -1.5
    frame.loc[13, "AGE"] = None
    frame.loc[14, "AGE"] = 40.5
    return frame


def test_row_rules_count_and_exclude(sample_customers):
    result = validate_customers(_broken(sample_customers))
    r = result.rejections
    assert r["missing_customer_id"] == 1
    assert r["age_out_of_range"] == 1
    assert r["non_numeric_ACCOUNT_BALANCE"] == 1
    assert r["unknown_geography"] == 1
    assert r["num_products_out_of_range"] == 1
    assert r["credit_score_out_of_range"] == 1
    assert r["negative_tenure"] == 1
    assert r["unknown_gender"] == 1
    assert r["invalid_label"] == 1
    assert r["invalid_boolean_IS_ACTIVE_MEMBER"] == 1
    assert r["duplicate_customer_id"] == 2
    assert r["negative_balance"] == 1
    assert r["null_AGE"] == 1
    assert r["non_numeric_AGE"] == 1
    assert result.rejected_rows == 15
    assert len(result.valid) == 5
    assert result.valid["ACCOUNT_BALANCE"].ge(0).all()


def test_text_values_are_parsed_not_coerced():
    row = {
        "CUSTOMER_ID": "A1", "CUSTOMER_NAME": "X", "AGE": "30", "ACCOUNT_BALANCE": "10.5",
        "TENURE_MONTHS": "12", "NUM_PRODUCTS": "2", "HAS_CREDIT_CARD": "TRUE",
        "IS_ACTIVE_MEMBER": "0", "CREDIT_SCORE": "700", "GEOGRAPHY": "Spain",
        "GENDER": "Male", "ESTIMATED_SALARY": "1000", "TARGET_LABEL": "1",
        "LAST_UPDATED": "2026-01-01T10:00:00Z",
    }
    result = validate_customers(pd.DataFrame([row]))
    assert result.rejected_rows == 0
    valid = result.valid.iloc[0]
    assert valid["HAS_CREDIT_CARD"] is True or bool(valid["HAS_CREDIT_CARD"]) is True
    assert not bool(valid["IS_ACTIVE_MEMBER"])
    assert valid["ACCOUNT_BALANCE"] == 10.5
