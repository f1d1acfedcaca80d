"""Deterministic, realistic sample customers for dev/sit/uat.

Rows are generated in fixed-size chunks, each from its own seed derived from
(seed, chunk), so the same seed always yields the same row for the same id
(``SAMPLE-0000001``...) whatever the requested row count: loading again is
idempotent. Churn depends on the features the way it does in the real bank
data: older, inactive, single-product or 3-4 product, German and female
customers churn more.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from churn_ml.schema import CUSTOMER_COLUMNS, GENDERS, GEOGRAPHIES

CHUNK_ROWS = 100_000
ID_PREFIX = "SAMPLE-"
BASE_TIMESTAMP = datetime(2026, 1, 1)
_SURNAMES = np.array(
    [
        "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Muller", "Schmidt", "Schneider",
        "Fischer", "Weber", "Garcia", "Fernandez", "Lopez", "Martinez", "Sanchez", "Perez",
        "Gomez", "Ruiz", "Hoffmann", "Wagner", "Leroy", "Roux", "Fontaine", "Chevalier",
    ]
)
_PRODUCT_EFFECT = np.array([0.0, 0.7, -1.3, 2.6, 4.5])  # index = number of products


def customer_id(index: int) -> str:
    return f"{ID_PREFIX}{index:07d}"


def churn_logit(frame: pd.DataFrame) -> np.ndarray:
    """Log-odds of churn; the generator's ground truth (exposed for tests)."""
    age = frame["AGE"].to_numpy(dtype=float)
    return (
        -3.2
        + 2.2 * np.exp(-(((age - 54.0) / 11.0) ** 2))
        - 0.6 * (age < 30)
        + 0.9 * (~frame["IS_ACTIVE_MEMBER"].to_numpy(dtype=bool))
        + _PRODUCT_EFFECT[frame["NUM_PRODUCTS"].to_numpy(dtype=int)]
        + 0.8 * (frame["GEOGRAPHY"].to_numpy() == "Germany")
        + 0.5 * (frame["GENDER"].to_numpy() == "Female")
        + 0.2 * (frame["ACCOUNT_BALANCE"].to_numpy(dtype=float) > 0)
        - 0.002 * (frame["CREDIT_SCORE"].to_numpy(dtype=float) - 650.0)
    )


def _chunk(seed: int, chunk: int, start: int, stop: int) -> pd.DataFrame:
    """Rows with 1-based indexes [start, stop) of chunk ``chunk``."""
    rng = np.random.default_rng([seed, chunk])
    n = CHUNK_ROWS
    age = np.clip(np.round(rng.normal(39, 10, n) + rng.exponential(2, n)), 18, 92)
    zero_balance = rng.random(n) < 0.36
    balance = np.where(zero_balance, 0.0, np.clip(rng.normal(119_000, 30_000, n), 100, 250_000))
    frame = pd.DataFrame(
        {
            "CUSTOMER_ID": [customer_id(i) for i in range(chunk * n + 1, chunk * n + n + 1)],
            "CUSTOMER_NAME": _SURNAMES[rng.integers(0, len(_SURNAMES), n)],
            "AGE": age.astype("int64"),
            "ACCOUNT_BALANCE": np.round(balance, 2),
            "TENURE_MONTHS": rng.integers(0, 11, n) * 12,
            "NUM_PRODUCTS": rng.choice([1, 2, 3, 4], n, p=[0.5, 0.46, 0.03, 0.01]),
            "HAS_CREDIT_CARD": rng.random(n) < 0.7,
            "IS_ACTIVE_MEMBER": rng.random(n) < 0.52,
            "CREDIT_SCORE": np.clip(np.round(rng.normal(650, 97, n)), 350, 850).astype("int64"),
            "GEOGRAPHY": np.array(GEOGRAPHIES)[rng.choice(3, n, p=[0.5, 0.25, 0.25])],
            "GENDER": np.array(GENDERS)[(rng.random(n) < 0.55).astype(int)],
            "ESTIMATED_SALARY": np.round(rng.uniform(11.58, 199_992.48, n), 2),
        }
    )
    probability = 1.0 / (1.0 + np.exp(-churn_logit(frame)))
    frame["TARGET_LABEL"] = (rng.random(n) < probability).astype("int64")
    frame["LAST_UPDATED"] = pd.Timestamp(BASE_TIMESTAMP) + pd.to_timedelta(
        rng.integers(0, 86_400 * 30, n), unit="s"
    )
    offset = chunk * n + 1
    return frame.iloc[start - offset : stop - offset]


def generate_customers(row_count: int, seed: int = 42) -> pd.DataFrame:
    """``row_count`` customers SAMPLE-0000001.. in the CUSTOMERS layout."""
    if row_count < 0:
        raise ValueError("row_count must be >= 0")
    parts = []
    for chunk in range((row_count + CHUNK_ROWS - 1) // CHUNK_ROWS):
        start = chunk * CHUNK_ROWS + 1
        parts.append(_chunk(seed, chunk, start, min(start + CHUNK_ROWS, row_count + 1)))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CUSTOMER_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(CUSTOMER_COLUMNS)]
