from churn_ml.gate import decide


def test_first_model_promoted_when_above_minimum():
    promote, reason = decide(0.86, None, 0.8, 0.02)
    assert promote and "no champion" in reason


def test_refused_below_minimum():
    promote, reason = decide(0.52, None, 0.8, 0.02)
    assert not promote and "below the minimum" in reason
    assert not decide(0.52, 0.86, 0.8, 0.02)[0]


def test_refused_when_regression_exceeds_margin():
    promote, reason = decide(0.82, 0.86, 0.8, 0.02)
    assert not promote and "allowed regression" in reason


def test_promoted_within_margin_or_better():
    assert decide(0.85, 0.86, 0.8, 0.02)[0]
    assert decide(0.90, 0.86, 0.8, 0.02)[0]
    assert decide(0.80, 0.86, 0.8, 0.06)[0]
