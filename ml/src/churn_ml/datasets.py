"""The real bank churn data (Churn_Modelling.csv) in the CUSTOMERS layout.

Mapping as in shared/datasets/bank-churn/README.md: Tenure x 12 months, 0/1 to
booleans, CustomerId as a string, RowNumber dropped, and a fixed LAST_UPDATED.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from churn_ml.schema import CUSTOMER_COLUMNS

LAST_UPDATED = datetime(2024, 1, 1)

SOURCE_COLUMNS: dict[str, str] = {
    "CustomerId": "CUSTOMER_ID",
    "Surname": "CUSTOMER_NAME",
    "Age": "AGE",
    "Balance": "ACCOUNT_BALANCE",
    "Tenure": "TENURE_MONTHS",
    "NumOfProducts": "NUM_PRODUCTS",
    "HasCrCard": "HAS_CREDIT_CARD",
    "IsActiveMember": "IS_ACTIVE_MEMBER",
    "CreditScore": "CREDIT_SCORE",
    "Geography": "GEOGRAPHY",
    "Gender": "GENDER",
    "EstimatedSalary": "ESTIMATED_SALARY",
    "Exited": "TARGET_LABEL",
}


def map_bank_churn(source: pd.DataFrame) -> pd.DataFrame:
    frame = source.rename(columns=SOURCE_COLUMNS)
    frame["CUSTOMER_ID"] = source["CustomerId"].astype("int64").astype(str)
    frame["TENURE_MONTHS"] = source["Tenure"].astype("int64") * 12
    frame["HAS_CREDIT_CARD"] = source["HasCrCard"].astype("int64") == 1
    frame["IS_ACTIVE_MEMBER"] = source["IsActiveMember"].astype("int64") == 1
    frame["LAST_UPDATED"] = pd.Timestamp(LAST_UPDATED)
    return frame[list(CUSTOMER_COLUMNS)].reset_index(drop=True)


def load_bank_churn(path: str | Path) -> pd.DataFrame:
    """Read Churn_Modelling.csv and map it to the CUSTOMERS columns."""
    return map_bank_churn(pd.read_csv(path, keep_default_na=False))
