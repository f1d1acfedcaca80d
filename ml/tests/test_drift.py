import numpy as np
import pytest

from churn_ml.drift import psi, score_baseline, score_bins


def test_bins_follow_sql_formula():
    assert score_bins(np.array([0.0, 0.05, 0.1, 0.55, 0.99, 1.0])).tolist() == [0, 0, 1, 5, 9, 9]


def test_baseline_fractions_sum_to_one():
    fractions = score_baseline(np.random.default_rng(0).random(1000))
    assert len(fractions) == 10 and sum(fractions) == pytest.approx(1.0)


def test_identical_distribution_is_near_zero():
    scores = np.random.default_rng(1).beta(2, 5, 5000)
    assert psi(score_baseline(scores), scores) == pytest.approx(0.0, abs=1e-12)
    other = np.random.default_rng(2).beta(2, 5, 5000)
    assert psi(score_baseline(scores), other) < 0.02


def test_shift_is_detected():
    expected = score_baseline(np.random.default_rng(1).beta(2, 5, 5000))
    shifted = np.random.default_rng(3).beta(5, 2, 5000)
    assert psi(expected, shifted) > 0.2


def test_empty_bins_are_floored():
    expected = [1.0] + [0.0] * 9
    value = psi(expected, np.array([0.95] * 10))
    assert np.isfinite(value) and value > 1
