"""Validation of raw CUSTOMERS rows: a schema check, then per-row rules.

Rows that fail any rule are counted per rule and kept out; values are never
silently coerced (a non-numeric balance is a rejected row, not a zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_ml.schema import CUSTOMER_COLUMNS, GENDERS, GEOGRAPHIES

# Columns that may be null; every other column is required on every row.
OPTIONAL_COLUMNS = ("CUSTOMER_NAME", "LAST_UPDATED")
NUMERIC_COLUMNS = tuple(c for c, t in CUSTOMER_COLUMNS.items() if t in ("int", "decimal"))
INTEGER_COLUMNS = tuple(c for c, t in CUSTOMER_COLUMNS.items() if t == "int")
BOOLEAN_COLUMNS = tuple(c for c, t in CUSTOMER_COLUMNS.items() if t == "bool")

_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False}
# Exactly what a CSV cell of each numeric type may hold: no "1e3", "inf", "nan", "0x1F", "1_000".
_INTEGER_TEXT = r"^\s*[+-]?\d+\s*$"
_DECIMAL_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"

# (rule name, column, lower bound, upper bound); None means unbounded.
RANGE_RULES: tuple[tuple[str, str, float | None, float | None], ...] = (
    ("age_out_of_range", "AGE", 18, 100),
    ("negative_balance", "ACCOUNT_BALANCE", 0, None),
    ("negative_tenure", "TENURE_MONTHS", 0, None),
    ("num_products_out_of_range", "NUM_PRODUCTS", 1, 4),
    ("credit_score_out_of_range", "CREDIT_SCORE", 300, 900),
    ("negative_salary", "ESTIMATED_SALARY", 0, None),
    ("invalid_label", "TARGET_LABEL", 0, 1),
)


class SchemaError(ValueError):
    """The input lacks one or more CUSTOMERS columns."""


class EmptyInputError(ValueError):
    """The input has no rows at all."""


@dataclass
class ValidationResult:
    """Typed valid rows plus per-rule failure counts over all input rows."""

    valid: pd.DataFrame
    total_rows: int
    rejected_rows: int
    rejections: dict[str, int] = field(default_factory=dict)


def check_schema(frame: pd.DataFrame) -> None:
    """Raise SchemaError naming every missing CUSTOMERS column."""
    present = {str(c).upper() for c in frame.columns}
    missing = [c for c in CUSTOMER_COLUMNS if c not in present]
    if missing:
        raise SchemaError(f"CUSTOMERS input is missing column(s): {', '.join(missing)}")


def _is_null(series: pd.Series) -> pd.Series:
    null = series.isna()
    if series.dtype == object:
        null |= series.astype(str).str.strip().eq("")
    return null


def _parse_bool(series: pd.Series) -> pd.Series:
    """Map to True/False; anything unrecognised becomes NaN (and is rejected)."""
    if series.dtype == bool:
        return series.astype(object)
    if pd.api.types.is_numeric_dtype(series):
        return series.map({1: True, 0: False})
    return series.map(lambda v: _BOOL_WORDS.get(v.strip().lower()) if isinstance(v, str)
                      else v if isinstance(v, bool) else None)


def _cell_text(value: object) -> str | None:
    """A cell as the text a CSV would hold (None when null; booleans are not numbers)."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return "\x00"
    if isinstance(value, int | float | np.integer | np.floating):
        return str(value)
    return "\x00"


def _parse_number(series: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """(values as float, mask of values that are not exactly a number of that kind).

    Text must match the number syntax exactly; typed values must be finite (and whole
    for integer columns). Nothing is rounded or truncated: 2.5 is not an integer.
    """
    if pd.api.types.is_numeric_dtype(series) and series.dtype != bool:
        values = series.astype(float)
        bad = ~np.isfinite(values.fillna(0.0))
    else:
        text = series.map(_cell_text)
        pattern = _INTEGER_TEXT if integer else _DECIMAL_TEXT
        ok = text.fillna("").str.match(pattern) | text.isna()
        values = pd.to_numeric(text.where(ok & text.notna()), errors="coerce").astype(float)
        bad = ~ok
    if integer:
        bad |= values.notna() & np.isfinite(values.fillna(0.0)) & (values != np.floor(values))
    return values.where(~bad), bad


def validate_customers(raw: pd.DataFrame) -> ValidationResult:
    """Apply the schema check and every row rule; return only rows that pass all."""
    frame = raw.rename(columns=lambda c: str(c).upper())
    check_schema(frame)
    total = len(frame)
    if total == 0:
        raise EmptyInputError("CUSTOMERS input has no rows: nothing to validate or train on")
    frame = frame.reset_index(drop=True)
    failures: dict[str, np.ndarray] = {}
    nulls: dict[str, pd.Series] = {}

    ids = frame["CUSTOMER_ID"].astype("string").str.strip()
    missing_id = ids.isna() | ids.eq("")
    failures["missing_customer_id"] = missing_id.to_numpy()
    duplicated = ids.duplicated(keep=False) & ~missing_id
    failures["duplicate_customer_id"] = duplicated.to_numpy()

    for column in CUSTOMER_COLUMNS:
        if column == "CUSTOMER_ID" or column in OPTIONAL_COLUMNS:
            continue
        nulls[column] = _is_null(frame[column])
        failures[f"null_{column}"] = nulls[column].to_numpy()

    typed: dict[str, pd.Series] = {"CUSTOMER_ID": ids}
    for column in NUMERIC_COLUMNS:
        values, bad = _parse_number(frame[column], integer=column in INTEGER_COLUMNS)
        bad &= ~nulls[column].to_numpy()
        failures[f"non_numeric_{column}"] = np.asarray(bad, dtype=bool)
        typed[column] = values
    for rule, column, low, high in RANGE_RULES:
        values = typed[column]
        out = pd.Series(False, index=frame.index)
        if low is not None:
            out |= values < low
        if high is not None:
            out |= values > high
        failures[rule] = out.to_numpy()

    for column in BOOLEAN_COLUMNS:
        parsed = _parse_bool(frame[column])
        failures[f"invalid_boolean_{column}"] = (parsed.isna() & ~nulls[column]).to_numpy()
        typed[column] = parsed

    geography = frame["GEOGRAPHY"].astype("string").str.strip()
    failures["unknown_geography"] = (~geography.isin(GEOGRAPHIES) & ~nulls["GEOGRAPHY"]).to_numpy()
    gender = frame["GENDER"].astype("string").str.strip()
    failures["unknown_gender"] = (~gender.isin(GENDERS) & ~nulls["GENDER"]).to_numpy()

    updated = pd.to_datetime(frame["LAST_UPDATED"], errors="coerce", format="mixed")
    if getattr(updated.dt, "tz", None) is not None:
        updated = updated.dt.tz_convert("UTC").dt.tz_localize(None)
    failures["invalid_timestamp_LAST_UPDATED"] = (
        updated.isna() & ~_is_null(frame["LAST_UPDATED"])
    ).to_numpy()

    rejected = np.zeros(total, dtype=bool)
    for mask in failures.values():
        rejected |= mask
    keep = ~rejected

    valid = pd.DataFrame(
        {
            "CUSTOMER_ID": ids[keep].astype(str).to_numpy(),
            "CUSTOMER_NAME": frame["CUSTOMER_NAME"][keep].astype("string").to_numpy(),
            **{
                c: typed[c][keep].astype("int64" if c in INTEGER_COLUMNS else "float64")
                .to_numpy()
                for c in NUMERIC_COLUMNS
            },
            **{c: typed[c][keep].astype(bool).to_numpy() for c in BOOLEAN_COLUMNS},
            "GEOGRAPHY": geography[keep].astype(str).to_numpy(),
            "GENDER": gender[keep].astype(str).to_numpy(),
            "LAST_UPDATED": updated[keep].to_numpy(),
        }
    )[list(CUSTOMER_COLUMNS)]
    return ValidationResult(
        valid=valid,
        total_rows=total,
        rejected_rows=int(rejected.sum()),
        rejections={rule: int(mask.sum()) for rule, mask in failures.items()},
    )
