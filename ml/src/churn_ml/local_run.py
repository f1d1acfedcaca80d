"""Run the whole pipeline graph locally with the same step code over LocalStore.

Usage::

    python -m churn_ml.local_run [--data CSV | --generate N] [--report JSON]
        [--state DIR] [--stack dev|sit|uat|prd] [--seed N] [--repo-root DIR]

- Gate parameters come from ``<repo-root>/Pulumi.<stack>.yaml`` (keys
  ``snowflake-mlops:minRocAuc`` and ``snowflake-mlops:maxAucRegression``);
  the default stack is ``dev`` and the default repo root is the current
  directory.
- Input: ``--data`` is either a CUSTOMERS CSV or the original
  Churn_Modelling.csv (recognised by its header); ``--generate N`` uses the
  sample generator with ``--seed`` (default 42); with neither, the real data at
  ``<repo-root>/../shared/datasets/bank-churn/Churn_Modelling.csv``.
- State (feature store, model registry, tables, predictions) persists in
  ``--state``, default ``<repo-root>/.pipeline-state``, so a second run meets
  the first run's champion.
- One progress line per step; the JSON report (``--report``) is written even
  when a step fails, and the exit code is then 1 (the champion is unchanged).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from churn_ml import steps
from churn_ml.csv_io import read_customers_csv
from churn_ml.datasets import load_bank_churn
from churn_ml.sample_data import generate_customers
from churn_ml.schema import GRAPH_STEPS, STATUS_FAILED, STATUS_SKIPPED, STATUS_SUCCEEDED
from churn_ml.stack_config import STACKS, StackConfigError, load_gate_config
from churn_ml.store import LocalStore

SOURCE_TABLE = "RAW_DB.PUBLIC.CUSTOMERS"
REAL_DATA = Path("..") / "shared" / "datasets" / "bank-churn" / "Churn_Modelling.csv"


def load_input(data: str | None, generate: int | None, seed: int,
               repo_root: Path) -> pd.DataFrame:
    if generate is not None:
        return generate_customers(generate, seed)
    path = Path(data) if data else repo_root / REAL_DATA
    if not path.exists():
        raise FileNotFoundError(f"input data {path} not found")
    with path.open() as handle:
        header = handle.readline()
    if "CustomerId" in header and "Exited" in header:
        return load_bank_churn(path)
    return read_customers_csv(path)


def run_pipeline(
    customers: pd.DataFrame,
    state_dir: Path,
    min_roc_auc: float,
    max_auc_regression: float,
    run_id: str | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run every step in graph order (later steps skipped after a failure), then finalize."""
    store = LocalStore(state_dir, sources={SOURCE_TABLE: customers})
    run_id = run_id or uuid.uuid4().hex
    graph: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("START", lambda: steps.start_pipeline_run(store, run_id)),
        ("FEATURE_ENGINEERING", lambda: steps.engineer_features(store, run_id, SOURCE_TABLE)),
        ("TRAINING", lambda: steps.train_and_register_model(store, run_id)),
        ("VALIDATION_GATE", lambda: steps.apply_validation_gate(
            store, run_id, min_roc_auc, max_auc_regression)),
        ("BATCH_INFERENCE", lambda: steps.score_customers(store, run_id, SOURCE_TABLE)),
    ]
    assert tuple(name for name, _ in graph) == GRAPH_STEPS
    errors: dict[str, str] = {}
    failed = False
    for name, step in graph:
        if failed:
            progress(f"{name:<20} {STATUS_SKIPPED:<10} {0.0:8.2f}s")
            continue
        try:
            summary = step()
            progress(f"{name:<20} {summary['status']:<10} {summary['seconds']:8.2f}s")
        except Exception as error:
            failed = True
            errors[name] = f"{type(error).__name__}: {error}"
            progress(f"{name:<20} {STATUS_FAILED:<10} {'':>9} {errors[name]}")
    final = steps.finalize_pipeline_run(store, run_id)
    progress(f"{'PIPELINE':<20} {final['status']:<10} {final['duration_seconds']:8.2f}s")
    return build_report(final, errors)


def build_report(final: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "run_id": final["run_id"],
        "status": final["status"],
        "model_version": final["model_version"],
        "champion_version": final["champion_version"],
        "metrics": final["metrics"],
        "baseline": final["baseline"],
        "promoted": final["promoted"],
        "reason": final["reason"],
        "predictions_written": final["predictions_written"],
        "rows_total": final["rows_total"],
        "rows_rejected": final["rows_rejected"],
        "rejections": final["rejections"],
        "feature_view_version": final["feature_view_version"],
        "steps": {name: {"status": s["status"], "seconds": s["seconds"]}
                  for name, s in final["steps"].items()},
        "psi": final["psi"],
        "evaluation": final.get("evaluation"),
        "duration_seconds": final["duration_seconds"],
        "errors": errors,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m churn_ml.local_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", help="CUSTOMERS CSV or Churn_Modelling.csv")
    source.add_argument("--generate", type=int, metavar="N", help="generate N sample customers")
    parser.add_argument("--report", help="write the JSON report here")
    parser.add_argument("--state", help="state folder (default <repo-root>/.pipeline-state)")
    parser.add_argument("--stack", default="dev", choices=STACKS)
    parser.add_argument("--seed", type=int, default=42, help="seed for --generate")
    parser.add_argument("--repo-root", default=".", help="folder with Pulumi.<stack>.yaml")
    parser.add_argument("--run-id", help="run id (default: a new uuid)")
    return parser.parse_args(argv)


def summary(report: dict) -> str:
    """The few lines a person reads after a run; the JSON report has the rest."""
    metrics = report.get("metrics") or {}
    baseline = report.get("baseline") or {}

    def fmt(value: object) -> str:
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    return "\n".join([
        f"run {report['run_id']}: {report['status']} in {fmt(report.get('duration_seconds'))} s",
        f"  rows: {report.get('rows_total')} read, {report.get('rows_rejected')} rejected, "
        f"{report.get('predictions_written')} predictions written",
        f"  model {report.get('model_version')}: ROC AUC {fmt(metrics.get('roc_auc'))}, "
        f"PR AUC {fmt(metrics.get('pr_auc'))} "
        f"(logistic baseline ROC AUC {fmt(baseline.get('roc_auc'))})",
        f"  gate: {'promoted' if report.get('promoted') else 'not promoted'} "
        f"- {report.get('reason')}",
        f"  champion: {report.get('champion_version')}; "
        f"score PSI vs champion baseline {fmt(report.get('psi'))}",
    ])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repo_root = Path(args.repo_root).resolve()
    try:
        gate_config = load_gate_config(repo_root, args.stack)
        customers = load_input(args.data, args.generate, args.seed, repo_root)
    except (StackConfigError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    state = Path(args.state) if args.state else repo_root / ".pipeline-state"
    report = run_pipeline(customers, state, gate_config.min_roc_auc,
                          gate_config.max_auc_regression, run_id=args.run_id)
    report["stack"] = args.stack
    text = json.dumps(report, indent=2, default=str)
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(text + "\n")
        print(summary(report))
        print(f"report: {args.report}")
        if report.get("evaluation"):
            from churn_ml.report import write_report

            page = write_report(report["evaluation"], Path(args.report).with_suffix(".html"),
                                f"Churn model {report['model_version']} ({args.stack})")
            print(f"evaluation report: {page['html']}")
    else:
        print(text)
    return 0 if report["status"] == STATUS_SUCCEEDED else 1


if __name__ == "__main__":
    sys.exit(main())
