"""The real bank churn data (Churn_Modelling.csv) in the CUSTOMERS layout.

Mapping as in ml/data/bank-churn/README.md: Tenure x 12 months, 0/1 to booleans,
CustomerId as a string, RowNumber dropped, and a fixed LAST_UPDATED.

The mapping is done on the text of each cell and never coerces: a value is
mapped only when it is exactly valid (Tenure a whole number, HasCrCard and
IsActiveMember exactly 0 or 1); anything else reaches ``validation`` as it was
written and is rejected there by a named rule, as in the CUSTOMERS layout
(``Tenure=2.5`` -> non_numeric_TENURE_MONTHS, ``HasCrCard=2`` ->
invalid_boolean_HAS_CREDIT_CARD, a blank CustomerId -> missing_customer_id).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from churn_ml.csv_io import MALFORMED_LINES, check_readable, read_csv_text
from churn_ml.schema import CUSTOMER_COLUMNS

LAST_UPDATED = datetime(2024, 1, 1)

# The copy shipped with the repository (675 KB; provenance and sha256 in its README).
VENDORED_PATH = Path(__file__).resolve().parents[2] / "data" / "bank-churn" / (
    "Churn_Modelling.csv")
VENDORED_SHA256 = "ee2a5c9d8daf3aed0d91c4d883a84ebb77d271447bebc0f0c80aafb0f288ceab"

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

_WHOLE = re.compile(r"^\s*-?\d+\s*$")
_FLAG = {"0": "false", "1": "true"}


def is_bank_layout(columns: list[str]) -> bool:
    return "CustomerId" in columns and "Exited" in columns


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string")


def map_bank_churn(source: pd.DataFrame) -> pd.DataFrame:
    """CUSTOMERS columns from Churn_Modelling.csv columns, exactly-valid values only mapped."""
    missing = [c for c in SOURCE_COLUMNS if c not in source.columns]
    if missing:
        from churn_ml.validation import SchemaError

        raise SchemaError(f"Churn_Modelling.csv input is missing column(s): {', '.join(missing)}")
    frame = pd.DataFrame({target: _text(source[column]).str.strip()
                          for column, target in SOURCE_COLUMNS.items()})
    tenure = frame["TENURE_MONTHS"]
    whole = tenure.fillna("").str.match(_WHOLE)
    months = pd.to_numeric(tenure.where(whole), errors="coerce") * 12
    frame["TENURE_MONTHS"] = tenure.where(~whole, months.astype("Int64").astype("string"))
    for column in ("HAS_CREDIT_CARD", "IS_ACTIVE_MEMBER"):
        values = frame[column]
        frame[column] = values.map(lambda v: _FLAG.get(v, v) if isinstance(v, str) else v)
    frame["LAST_UPDATED"] = LAST_UPDATED.isoformat()
    out = frame[list(CUSTOMER_COLUMNS)].reset_index(drop=True)
    out.attrs[MALFORMED_LINES] = source.attrs.get(MALFORMED_LINES, 0)
    return out


def load_bank_churn(path: str | Path) -> pd.DataFrame:
    """Read Churn_Modelling.csv (checked, as text) and map it to the CUSTOMERS columns."""
    return map_bank_churn(read_csv_text(check_readable(Path(path))))
