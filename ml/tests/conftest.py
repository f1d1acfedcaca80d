from __future__ import annotations

import os

# Small training sets: OpenMP threads only add overhead, and on a busy 2-core
# machine spinning OpenMP threads slow HistGradientBoosting down by 10x or more.
os.environ.setdefault("OMP_NUM_THREADS", "1")


from pathlib import Path

import pandas as pd
import pytest

from churn_ml.datasets import load_bank_churn
from churn_ml.sample_data import generate_customers

REAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "bank-churn" / (
    "Churn_Modelling.csv"
)


@pytest.fixture(scope="session")
def real_customers() -> pd.DataFrame:
    if not REAL_DATA.exists():
        pytest.skip(f"real data not found at {REAL_DATA}")
    return load_bank_churn(REAL_DATA)


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
