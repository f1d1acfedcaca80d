import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from churn_ml.gate import CONFIDENCE, Interval, auc_interval, decide, paired_difference

MIN_AUC, MARGIN = 0.75, 0.02


def _held_out(n=2000, seed=0):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.2).astype(int)
    signal = rng.randn(n) + 1.4 * y
    return rng, y, signal


def test_delong_interval_matches_roc_auc_and_bootstrap_spread():
    rng, y, signal = _held_out()
    interval = auc_interval(y, signal)
    assert interval.estimate == pytest.approx(roc_auc_score(y, signal), abs=1e-12)
    boot = []
    for _ in range(400):
        idx = rng.randint(0, len(y), len(y))
        boot.append(roc_auc_score(y[idx], signal[idx]))
    half_width = (interval.high - interval.low) / 2
    assert half_width == pytest.approx(1.96 * np.std(boot), rel=0.2)
    assert CONFIDENCE == 0.95


def test_paired_difference_is_of_the_same_rows():
    rng, y, signal = _held_out()
    noisy = signal + 0.6 * rng.randn(len(y))
    diff = paired_difference(y, signal, noisy)
    expected = roc_auc_score(y, signal) - roc_auc_score(y, noisy)
    assert diff.estimate == pytest.approx(expected, abs=1e-12)
    # Pairing removes the shared noise: the difference is tighter than either interval.
    assert diff.high - diff.low < auc_interval(y, noisy).high - auc_interval(y, noisy).low
    assert paired_difference(y, signal, signal) == Interval(0.0, 0.0, 0.0)


def test_refuses_challenger_whose_interval_reaches_past_the_allowed_regression():
    rng, y, signal = _held_out()
    champion = signal + 0.3 * rng.randn(len(y))
    challenger = signal + 0.4 * rng.randn(len(y))  # a little worse, within the noise
    diff = paired_difference(y, challenger, champion)
    assert diff.estimate > -MARGIN  # the point estimate alone would promote
    assert diff.low < -MARGIN  # ... but the interval overlaps the forbidden regression
    decision = decide(auc_interval(y, challenger), MIN_AUC, MARGIN,
                      auc_interval(y, champion), diff)
    assert not decision.promote
    assert "refused" in decision.reason and "allowed regression -0.0200" in decision.reason
    assert decision.record()["difference"]["low"] == pytest.approx(diff.low)


def test_promotes_challenger_that_clears_the_rule():
    rng, y, signal = _held_out()
    champion = signal + 1.2 * rng.randn(len(y))
    challenger = signal + 0.2 * rng.randn(len(y))
    diff = paired_difference(y, challenger, champion)
    assert diff.low > 0
    decision = decide(auc_interval(y, challenger), MIN_AUC, MARGIN,
                      auc_interval(y, champion), diff)
    assert decision.promote and decision.reason.startswith("promoted")
    record = decision.record()
    assert record["candidate_roc_auc"]["estimate"] == pytest.approx(roc_auc_score(y, challenger))
    assert record["champion_roc_auc"]["high"] > record["champion_roc_auc"]["low"]


def test_floor_refuses_only_an_interval_wholly_below_it():
    assert not decide(Interval(0.52, 0.49, 0.55), MIN_AUC, MARGIN).promote
    # 0.86 [0.84, 0.88] against prd's 0.85: one split's noise no longer refuses it.
    first = decide(Interval(0.86, 0.84, 0.88), 0.85, MARGIN)
    assert first.promote and "no champion yet" in first.reason
    assert not decide(Interval(0.83, 0.81, 0.849), 0.85, MARGIN).promote


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_labels_never_promote(seed):
    rng, y, signal = _held_out(seed=seed)
    shuffled = rng.permutation(y)
    candidate = auc_interval(shuffled, signal)
    assert not decide(candidate, MIN_AUC, MARGIN).promote
    champion = auc_interval(shuffled, signal + 0.1 * rng.randn(len(y)))
    diff = paired_difference(shuffled, rng.rand(len(y)), signal)
    assert not decide(candidate, 0.5, MARGIN, champion, diff).promote or diff.low > -MARGIN
