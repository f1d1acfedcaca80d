from __future__ import annotations

import os

# Small training sets: OpenMP threads only add overhead, and on a busy 2-core
# machine spinning OpenMP threads slow HistGradientBoosting down by 10x or more.
os.environ.setdefault("OMP_NUM_THREADS", "1")


import hashlib
from pathlib import Path

import pandas as pd
import pytest

from churn_ml.datasets import VENDORED_PATH, VENDORED_SHA256, load_bank_churn
from churn_ml.sample_data import generate_customers
from churn_ml.validation import validate_customers

# The real data ships with the repository (ml/data/bank-churn/), so these tests run
# everywhere the README says they do, CI included: a missing or altered copy fails.
REAL_DATA = VENDORED_PATH


@pytest.fixture(scope="session")
def real_customers() -> pd.DataFrame:
    """Churn_Modelling.csv mapped to CUSTOMERS and validated (typed values, 10,000 rows)."""
    if not REAL_DATA.exists():
        pytest.fail(f"real data missing at {REAL_DATA}: it ships with the repository")
    digest = hashlib.sha256(REAL_DATA.read_bytes()).hexdigest()
    assert digest == VENDORED_SHA256, f"{REAL_DATA} was altered (sha256 {digest})"
    result = validate_customers(load_bank_churn(REAL_DATA))
    assert result.rejected_rows == 0, result.rejections
    return result.valid


@pytest.fixture(scope="session")
def sample_customers() -> pd.DataFrame:
    return generate_customers(3000, seed=7)


@pytest.fixture
def repo_root(tmp_path: Path) -> Path:
    """A throwaway repository root with a dev stack file."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "Pulumi.dev.yaml").write_text(
        "config:\n"
        "  snowflake-mlops:minRocAuc: \"0.75\"\n"
        "  snowflake-mlops:maxAucRegression: \"0.02\"\n"
    )
    return root
