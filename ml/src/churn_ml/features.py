"""Engineered features for the CUSTOMER_FEATURES feature view.

``FEATURE_DEFINITIONS`` is the single description of every feature; the
feature view version (``FEATURE_SPEC_VERSION``) is a hash of it, so the
version changes exactly when a definition changes, not on every run.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from churn_ml.schema import ENTITY_KEY, GENDERS, GEOGRAPHIES, LABEL

# Upper bounds (exclusive) of the age bands; the last band is open-ended.
AGE_BAND_EDGES = (30, 40, 50, 60, 70)

FEATURE_DEFINITIONS: dict[str, str] = {
    "AGE": "AGE",
    "ACCOUNT_BALANCE": "ACCOUNT_BALANCE",
    "TENURE_MONTHS": "TENURE_MONTHS",
    "NUM_PRODUCTS": "NUM_PRODUCTS",
    "HAS_CREDIT_CARD": "1 if HAS_CREDIT_CARD else 0",
    "IS_ACTIVE_MEMBER": "1 if IS_ACTIVE_MEMBER else 0",
    "CREDIT_SCORE": "CREDIT_SCORE",
    "ESTIMATED_SALARY": "ESTIMATED_SALARY",
    "BALANCE_PER_PRODUCT": "ACCOUNT_BALANCE / NUM_PRODUCTS",
    "TENURE_YEARS": "TENURE_MONTHS / 12",
    "AGE_BAND": f"ordinal band of AGE with upper edges {list(AGE_BAND_EDGES)} (0..5)",
    "ZERO_BALANCE": "1 if ACCOUNT_BALANCE == 0 else 0",
    **{f"GEOGRAPHY_{g.upper()}": f"1 if GEOGRAPHY == '{g}' else 0" for g in GEOGRAPHIES},
    **{f"GENDER_{g.upper()}": f"1 if GENDER == '{g}' else 0" for g in GENDERS},
}

FEATURE_COLUMNS: tuple[str, ...] = tuple(FEATURE_DEFINITIONS)


def feature_spec_version(definitions: dict[str, str] | None = None) -> str:
    """Version name derived from the feature definitions, e.g. ``V1A2B3C4D``."""
    text = json.dumps(definitions or FEATURE_DEFINITIONS, sort_keys=True)
    return "V" + hashlib.sha256(text.encode()).hexdigest()[:8].upper()


FEATURE_SPEC_VERSION = feature_spec_version()


def age_band(age: pd.Series) -> np.ndarray:
    """Ordinal band index: 0 for under 30, ..., 5 for 70 and over."""
    return np.searchsorted(np.asarray(AGE_BAND_EDGES), age.to_numpy(), side="right")


def build_features(valid: pd.DataFrame) -> pd.DataFrame:
    """Entity key, every feature of FEATURE_COLUMNS and the label, from validated rows."""
    balance = valid["ACCOUNT_BALANCE"].astype(float)
    out = pd.DataFrame(
        {
            ENTITY_KEY: valid[ENTITY_KEY].astype(str).to_numpy(),
            "AGE": valid["AGE"].astype("int64").to_numpy(),
            "ACCOUNT_BALANCE": balance.to_numpy(),
            "TENURE_MONTHS": valid["TENURE_MONTHS"].astype("int64").to_numpy(),
            "NUM_PRODUCTS": valid["NUM_PRODUCTS"].astype("int64").to_numpy(),
            "HAS_CREDIT_CARD": valid["HAS_CREDIT_CARD"].astype(bool).astype("int64").to_numpy(),
            "IS_ACTIVE_MEMBER": valid["IS_ACTIVE_MEMBER"].astype(bool).astype("int64").to_numpy(),
            "CREDIT_SCORE": valid["CREDIT_SCORE"].astype("int64").to_numpy(),
            "ESTIMATED_SALARY": valid["ESTIMATED_SALARY"].astype(float).to_numpy(),
            "BALANCE_PER_PRODUCT": (balance / valid["NUM_PRODUCTS"].astype(float)).to_numpy(),
            "TENURE_YEARS": (valid["TENURE_MONTHS"].astype(float) / 12.0).to_numpy(),
            "AGE_BAND": age_band(valid["AGE"]).astype("int64"),
            "ZERO_BALANCE": (balance == 0).astype("int64").to_numpy(),
        }
    )
    for geography in GEOGRAPHIES:
        out[f"GEOGRAPHY_{geography.upper()}"] = (valid["GEOGRAPHY"] == geography).astype(
            "int64"
        ).to_numpy()
    for gender in GENDERS:
        out[f"GENDER_{gender.upper()}"] = (valid["GENDER"] == gender).astype("int64").to_numpy()
    if LABEL in valid.columns:
        out[LABEL] = valid[LABEL].astype("int64").to_numpy()
    return out[[ENTITY_KEY, *FEATURE_COLUMNS, *([LABEL] if LABEL in out.columns else [])]]


def snapshot_version(features: pd.DataFrame) -> str:
    """Feature view version of one snapshot: definitions hash + content hash.

    A version names fixed data: the same rows (in any order) give the same version, any
    change to a row or to a definition gives a new one, so an older version never shows
    newer rows and a rerun on unchanged data reuses its version.
    """
    ordered = features.sort_values(ENTITY_KEY, kind="mergesort").reset_index(drop=True)
    content = hashlib.sha256(pd.util.hash_pandas_object(ordered, index=False).to_numpy())
    content.update(",".join(ordered.columns).encode())
    return f"{FEATURE_SPEC_VERSION}_{content.hexdigest()[:8].upper()}"


def sorted_by_entity(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in CUSTOMER_ID order: the fixed-seed split then sees the same row order
    whatever order the feature store returned them in."""
    return frame.sort_values(ENTITY_KEY, kind="mergesort").reset_index(drop=True)
