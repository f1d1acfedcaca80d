"""The evaluation report: numbers, figures drawn from them, a page that opens offline."""

import json
import re

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from churn_ml import report
from churn_ml.gate import auc_interval, decide, paired_difference


@pytest.fixture(scope="module")
def evaluation():
    rng = np.random.RandomState(3)
    y = (rng.rand(2000) < 0.2).astype(int)
    signal = rng.randn(2000) + 1.5 * y
    candidate = 1 / (1 + np.exp(-(signal - 1.5)))
    champion = 1 / (1 + np.exp(-(signal + 0.8 * rng.randn(2000) - 1.5)))
    decision = decide(auc_interval(y, candidate), 0.75, 0.02, auc_interval(y, champion),
                      paired_difference(y, candidate, champion))
    data = report.evaluation(y, candidate, champion, {"AGE": 0.08, "NUM_PRODUCTS": 0.12},
                             decision.record(), {"candidate": "V2", "champion": "V1"})
    return data, y, candidate, champion


def test_numbers_are_those_of_the_held_out_rows(evaluation):
    data, y, candidate, champion = evaluation
    assert data["rows"] == 2000 and data["positives"] == int(y.sum())
    assert data["candidate"]["metrics"]["roc_auc"] == pytest.approx(roc_auc_score(y, candidate))
    assert data["champion"]["metrics"]["roc_auc"] == pytest.approx(roc_auc_score(y, champion))
    # The plotted ROC curve integrates to the reported AUC (101-point grid).
    roc = data["candidate"]["roc"]
    assert np.trapz(roc["tpr"], roc["fpr"]) == pytest.approx(
        data["candidate"]["metrics"]["roc_auc"], abs=0.01)
    cal = data["candidate"]["calibration"]
    assert sum(cal["count"]) == 2000
    hist = data["candidate"]["scores"]
    assert sum(hist["churned"]) == y.sum() and sum(hist["retained"]) == (y == 0).sum()
    assert list(data["feature_importance"]) == ["NUM_PRODUCTS", "AGE"]
    json.dumps(data)  # JSON-ready as it is


def test_html_opens_offline_and_matches_the_json(evaluation, tmp_path):
    data = json.loads(json.dumps(evaluation[0]))  # as read back from the JSON report
    paths = report.write_report(data, tmp_path / "run.html", "Churn model V2")
    page = paths["html"].read_text()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.IGNORECASE)
    assert "<link" not in page and "@import" not in page
    for name in report.FIGURES:
        png = tmp_path / f"run_{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{png.name}"' in page
    embedded = re.search(r'<script type="application/json" id="evaluation">(.*?)</script>',
                         page, re.DOTALL).group(1)
    assert json.loads(embedded.replace("<\\/", "</")) == data
    auc = data["candidate"]["metrics"]["roc_auc"]
    assert f"<td>{auc:.4f}</td>" in page
    assert data["gate"]["reason"].split(" (")[0] in page


def test_figures_are_drawn_from_the_numbers(evaluation, tmp_path, monkeypatch):
    import matplotlib.axes

    data = evaluation[0]
    drawn = []
    original = matplotlib.axes.Axes.plot

    def spy(self, *args, **kwargs):
        drawn.append((self.get_title(), args, kwargs.get("label")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "plot", spy)
    report.write_figures(data, tmp_path, "r")
    roc = [d for d in drawn if d[2] and d[2].startswith("candidate V2 (AUC")]
    assert roc and list(roc[0][1][0]) == data["candidate"]["roc"]["fpr"]
    assert list(roc[0][1][1]) == data["candidate"]["roc"]["tpr"]
    assert f"{data['candidate']['metrics']['roc_auc']:.4f}" in roc[0][2]


def test_local_run_writes_the_page_beside_its_json_report(repo_root, tmp_path):
    from churn_ml.local_run import main

    target = tmp_path / "out" / "run.json"
    code = main(["--generate", "2500", "--report", str(target), "--repo-root", str(repo_root),
                 "--state", str(tmp_path / "state")])
    assert code == 0
    saved = json.loads(target.read_text())
    page = (tmp_path / "out" / "run.html").read_text()
    embedded = re.search(r'<script type="application/json" id="evaluation">(.*?)</script>',
                         page, re.DOTALL).group(1)
    assert json.loads(embedded.replace("<\\/", "</")) == saved["evaluation"]
    assert saved["evaluation"]["candidate"]["metrics"] == pytest.approx(saved["metrics"])
    assert saved["evaluation"]["gate"]["reason"] == saved["reason"]
    for name in report.FIGURES:
        assert (tmp_path / "out" / f"run_{name}.png").stat().st_size > 1000


def test_figures_need_no_writable_home(evaluation, tmp_path):
    """As in a Snowflake procedure: HOME unusable and MPLCONFIGDIR unset; matplotlib
    must not fall back to a fresh temporary cache (a warning and a font-cache rebuild)."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.write_text("")  # a file: no folder can be made below it, even by root
    (tmp_path / "evaluation.json").write_text(json.dumps(evaluation[0]))
    code = ("import json, pathlib, sys; from churn_ml import report; "
            "d = json.loads(pathlib.Path(sys.argv[1]).read_text()); "
            "print(len(report.write_figures(d, pathlib.Path(sys.argv[2]), 'v1')))")
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env.update(HOME=str(home), TMPDIR=str(tmp_path), PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "evaluation.json"),
                           str(tmp_path / "out")], env=env, capture_output=True, text=True,
                          check=True)
    assert int(done.stdout) == len(report.FIGURES)
    assert "not a writable directory" not in done.stderr, done.stderr
    assert (tmp_path / "churn_ml-matplotlib").is_dir()
