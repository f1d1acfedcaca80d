"""The evaluation report: numbers (``evaluation``) and the page and figures drawn from them.

``evaluation`` is pure numpy: ROC and PR curves, calibration, score distribution of
the candidate (and of the champion, scored on the same held-out rows), the gate's
intervals and the feature importance. It is small (curves at fixed resolution) and
JSON-ready, so it goes into the run log, the local JSON report and the registry's
metrics unchanged; ``write_report`` draws every figure from exactly those numbers
(matplotlib, Agg backend) and writes a self-contained HTML page beside them: images
by relative path, no script, style or font from the network.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np

CURVE_POINTS = 101
CALIBRATION_BINS = 10
HISTOGRAM_BINS = 20
FIGURES = ("roc", "pr", "calibration", "scores", "importance")


def _roc(y: np.ndarray, s: np.ndarray) -> dict[str, list[float]]:
    """ROC at CURVE_POINTS evenly spaced false-positive rates (step interpolation)."""
    order = np.argsort(-s, kind="mergesort")
    y_sorted, s_sorted = y[order], s[order]
    distinct = np.r_[np.nonzero(np.diff(s_sorted))[0], len(s_sorted) - 1]
    tps = np.cumsum(y_sorted)[distinct]
    fps = (1 + distinct) - tps
    tpr = np.r_[0.0, tps / max(tps[-1], 1)]
    fpr = np.r_[0.0, fps / max(fps[-1], 1)]
    grid = np.linspace(0.0, 1.0, CURVE_POINTS)
    return {"fpr": grid.round(6).tolist(),
            "tpr": np.interp(grid, fpr, tpr).round(6).tolist()}


def _pr(y: np.ndarray, s: np.ndarray) -> dict[str, list[float]]:
    """Precision at CURVE_POINTS evenly spaced recalls (the best precision at that recall)."""
    order = np.argsort(-s, kind="mergesort")
    tp = np.cumsum(y[order])
    precision = tp / np.arange(1, len(y) + 1)
    recall = tp / max(tp[-1], 1)
    grid = np.linspace(0.0, 1.0, CURVE_POINTS)
    best = [float(precision[recall >= r].max()) if np.any(recall >= r) else 0.0 for r in grid]
    return {"recall": grid.round(6).tolist(), "precision": np.round(best, 6).tolist()}


def _calibration(y: np.ndarray, s: np.ndarray) -> dict[str, list[float]]:
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    index = np.clip(np.digitize(s, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    mean_score, observed, count = [], [], []
    for b in range(CALIBRATION_BINS):
        rows = index == b
        count.append(int(rows.sum()))
        mean_score.append(round(float(s[rows].mean()), 6) if rows.any() else None)
        observed.append(round(float(y[rows].mean()), 6) if rows.any() else None)
    return {"mean_score": mean_score, "observed_rate": observed, "count": count}


def _histogram(y: np.ndarray, s: np.ndarray) -> dict[str, list]:
    edges = np.linspace(0.0, 1.0, HISTOGRAM_BINS + 1)
    return {"edges": edges.round(6).tolist(),
            "churned": np.histogram(s[y == 1], edges)[0].tolist(),
            "retained": np.histogram(s[y == 0], edges)[0].tolist()}


def _model_section(y: np.ndarray, s: np.ndarray) -> dict[str, Any]:
    from churn_ml.training import classification_metrics

    return {"metrics": classification_metrics(y, s), "roc": _roc(y, s), "pr": _pr(y, s),
            "calibration": _calibration(y, s), "scores": _histogram(y, s)}


def evaluation(y: np.ndarray, candidate_scores: np.ndarray,
               champion_scores: np.ndarray | None = None,
               importance: dict[str, float] | None = None,
               decision: dict[str, Any] | None = None,
               versions: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Every number the report shows, for the held-out rows ``y``."""
    y = np.asarray(y).astype(int)
    return {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "versions": versions or {},
        "candidate": _model_section(y, np.asarray(candidate_scores, dtype=float)),
        "champion": (_model_section(y, np.asarray(champion_scores, dtype=float))
                     if champion_scores is not None else None),
        "feature_importance": dict(sorted((importance or {}).items(),
                                          key=lambda kv: -kv[1])),
        "gate": decision,
    }


def _models(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    versions = data.get("versions") or {}
    found = [(f"candidate {versions.get('candidate') or ''}".strip(), data["candidate"])]
    if data.get("champion"):
        found.append((f"champion {versions.get('champion') or ''}".strip(), data["champion"]))
    return found


def write_figures(data: dict[str, Any], folder: Path, stem: str) -> dict[str, Path]:
    """One PNG per figure of FIGURES, drawn from ``data`` only."""
    import os
    import tempfile

    # Inside a Snowflake procedure only /tmp is writable: without MPLCONFIGDIR matplotlib
    # finds the home folder read-only, warns, and rebuilds its font cache in a new
    # temporary folder on every call (matplotlib 3.9 _get_config_or_cache_dir).
    cache = os.path.join(tempfile.gettempdir(), "churn_ml-matplotlib")
    os.environ.setdefault("MPLCONFIGDIR", cache)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    models = _models(data)

    def save(name: str, fig: Any) -> None:
        path = folder / f"{stem}_{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths[name] = path

    fig, ax = plt.subplots(figsize=(5, 4.2))
    for (label, m), style in zip(models, ("-", "--"), strict=False):
        ax.plot(m["roc"]["fpr"], m["roc"]["tpr"], style,
                label=f"{label} (AUC {m['metrics']['roc_auc']:.4f})")
    ax.plot([0, 1], [0, 1], "k:", linewidth=0.8)
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    ax.legend(loc="lower right", fontsize=8)
    save("roc", fig)

    fig, ax = plt.subplots(figsize=(5, 4.2))
    for (label, m), style in zip(models, ("-", "--"), strict=False):
        ax.plot(m["pr"]["recall"], m["pr"]["precision"], style,
                label=f"{label} (AP {m['metrics']['pr_auc']:.4f})")
    ax.axhline(data["positives"] / max(data["rows"], 1), color="k", linestyle=":",
               linewidth=0.8)
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall", ylim=(0, 1.02))
    ax.legend(loc="upper right", fontsize=8)
    save("pr", fig)

    fig, ax = plt.subplots(figsize=(5, 4.2))
    for label, m in models:
        cal = m["calibration"]
        pts = [(a, b) for a, b in zip(cal["mean_score"], cal["observed_rate"], strict=True)
               if a is not None]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-" if label.startswith("cand")
                else "s--", label=label)
    ax.plot([0, 1], [0, 1], "k:", linewidth=0.8)
    ax.set(xlabel="mean predicted churn probability", ylabel="observed churn rate",
           title="Calibration (10 bins)")
    ax.legend(loc="upper left", fontsize=8)
    save("calibration", fig)

    fig, ax = plt.subplots(figsize=(5, 4.2))
    hist = data["candidate"]["scores"]
    edges = np.asarray(hist["edges"])
    ax.stairs(hist["retained"], edges, label="retained", fill=True, alpha=0.5)
    ax.stairs(hist["churned"], edges, label="churned", fill=True, alpha=0.5)
    ax.set(xlabel="candidate churn probability", ylabel="customers",
           title="Score distribution (held-out rows)")
    ax.legend(fontsize=8)
    save("scores", fig)

    fig, ax = plt.subplots(figsize=(5, 4.6))
    importance = data.get("feature_importance") or {}
    names = list(importance)[::-1]
    ax.barh(names, [importance[n] for n in names])
    ax.set(xlabel="drop in ROC AUC when permuted", title="Feature importance")
    ax.tick_params(axis="y", labelsize=7)
    save("importance", fig)
    return paths


def _metrics_table(data: dict[str, Any]) -> str:
    rows = "".join(
        "<tr><th>" + html.escape(label) + "</th>" + "".join(
            f"<td>{m['metrics'][k]:.4f}</td>" for k in
            ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1")) + "</tr>"
        for label, m in _models(data)
    )
    head = "".join(f"<th>{k}</th>" for k in
                   ("model", "ROC AUC", "PR AUC", "accuracy", "precision", "recall", "F1"))
    return f"<table><tr>{head}</tr>{rows}</table>"


def _gate_text(data: dict[str, Any]) -> str:
    gate = data.get("gate")
    if not gate:
        return "<p>The gate did not run.</p>"
    return (f"<p><b>{'Promoted' if gate['promoted'] else 'Not promoted'}</b>: "
            f"{html.escape(gate['reason'])}</p>")


def write_report(data: dict[str, Any], html_path: Path, title: str) -> dict[str, Path]:
    """The HTML page at ``html_path`` and its PNGs beside it; returns every path written."""
    html_path = Path(html_path)
    paths = write_figures(data, html_path.parent, html_path.stem)
    figures = "".join(
        f'<figure><img src="{paths[name].name}" alt="{name}" width="450">'
        f"<figcaption>{name}</figcaption></figure>" for name in FIGURES
    )
    embedded = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    same_rows = (" Champion and candidate are scored on these same rows."
                 if data.get("champion") else "")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: right; }}
figure {{ display: inline-block; margin: 0.5em; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>{data['rows']} held-out customers, {data['positives']} churned.{same_rows}</p>
{_gate_text(data)}
{_metrics_table(data)}
{figures}
<script type="application/json" id="evaluation">{embedded}</script>
</body></html>
"""
    html_path.write_text(page)
    return {"html": html_path, **paths}
