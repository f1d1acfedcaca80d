"""Run the whole pipeline graph locally with the same step code over LocalStore.

Usage::

    python -m churn_ml.local_run [--data CSV | --generate N] [--report JSON]
        [--state DIR] [--stack dev|sit|uat|prd] [--seed N] [--repo-root DIR]
        [--run-id ID] [--lock-wait SECONDS] [--threads N]

- Gate parameters come from ``<repo-root>/Pulumi.<stack>.yaml`` (keys
  ``snowflake-mlops:minRocAuc`` and ``snowflake-mlops:maxAucRegression``, with the
  defaults of Pulumi.yaml); the default stack is ``dev`` and the default repo root
  is the current directory.
- Input: ``--data`` is either a CUSTOMERS CSV or the original Churn_Modelling.csv
  (recognised by its header); ``--generate N`` uses the sample generator with
  ``--seed`` (default 42); with neither, the copy of the real data shipped in
  ``<repo-root>/ml/data/bank-churn/Churn_Modelling.csv``.
- State (feature store, model registry, tables, predictions) persists in
  ``--state``, default ``<repo-root>/.pipeline-state/<stack>``, so a second run
  meets the first run's champion. One run at a time owns a state folder: another
  run waits ``--lock-wait`` seconds (default 0) and then refuses, naming the holder.
- ``--threads N`` bounds the BLAS/OpenMP threads of training and scoring (default
  1, fastest for these data sizes and safe on a busy machine; 0 = library default).
- One progress line per step; the JSON report (``--report``) is written for every
  run, FAILED when anything went wrong, replacing an older report at that path.
- Exit codes: 0 every step succeeded; 1 a step failed (champion unchanged); 2 bad
  input or configuration (nothing changed in the state); 3 the state folder is in
  use by another run; 130/143 interrupted by SIGINT/SIGTERM (the run is recorded
  as FAILED).
"""

from __future__ import annotations

import os
import signal
import sys


def _quiet_exit(signum: int, _frame: object) -> None:
    # Until main() installs its handlers (the imports below take seconds on a busy
    # machine), Ctrl-C or SIGTERM ends the process without a traceback: nothing started.
    print(f"interrupted by {signal.Signals(signum).name} before the run started; "
          "nothing was changed", file=sys.stderr)
    os._exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _quiet_exit)
    signal.signal(signal.SIGTERM, _quiet_exit)

# Bound BLAS/OpenMP threads before numpy/scikit-learn are imported (they read these
# once); main() applies --threads through threadpoolctl too. On a busy 2-core machine
# unbounded OpenMP threads made training 90x slower (issue 14).
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pandas as pd  # noqa: E402

from churn_ml import interrupts, steps  # noqa: E402
from churn_ml.csv_io import (  # noqa: E402
    InputFileError,
    check_readable,
    header_columns,
    read_csv_text,
)
from churn_ml.datasets import is_bank_layout, map_bank_churn  # noqa: E402
from churn_ml.sample_data import generate_customers  # noqa: E402
from churn_ml.schema import (  # noqa: E402
    CUSTOMER_COLUMNS,
    GRAPH_STEPS,
    PIPELINE_RUN_LOG,
    STATUS_FAILED,
    STATUS_SKIPPED,
    STATUS_SUCCEEDED,
    STEP_INFERENCE,
    STEP_PIPELINE,
)
from churn_ml.stack_config import STACKS, StackConfigError, load_gate_config  # noqa: E402
from churn_ml.state_files import atomic_write_text  # noqa: E402
from churn_ml.state_lock import StateLock, StateLockedError  # noqa: E402
from churn_ml.store import LocalStore, check_run_id  # noqa: E402

SOURCE_TABLE = "RAW_DB.PUBLIC.CUSTOMERS"
# The copy of the real data shipped with the repository (ml/data/bank-churn/README.md).
REAL_DATA = Path("ml") / "data" / "bank-churn" / "Churn_Modelling.csv"
BANK_COLUMNS = ("CustomerId", "Surname", "CreditScore", "Geography", "Gender", "Age", "Tenure",
                "Balance", "NumOfProducts", "HasCrCard", "IsActiveMember", "EstimatedSalary",
                "Exited")
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class UsageError(ValueError):
    """A command-line value is not allowed; nothing has been changed."""


def load_input(data: str | None, generate: int | None, seed: int,
               repo_root: Path) -> pd.DataFrame:
    """The customers to run on, in the CUSTOMERS layout (text cells from files).

    Raises InputFileError (one line: what was found, what is expected) for a file that
    cannot be read as either layout, and UsageError for a bad ``--generate``.
    """
    if generate is not None:
        if generate < 1:
            raise UsageError(f"--generate {generate}: allowed: a whole number of rows >= 1")
        return generate_customers(generate, seed)
    path = Path(data) if data else repo_root / REAL_DATA
    text = check_readable(path)
    columns = header_columns(text)
    if is_bank_layout(columns):
        missing = [c for c in BANK_COLUMNS if c not in columns]
        if missing:
            raise InputFileError(
                f"input file {path} looks like Churn_Modelling.csv but lacks column(s) "
                f"{', '.join(missing)}; expected columns: {', '.join(BANK_COLUMNS)}")
        return map_bank_churn(read_csv_text(text))
    upper = {c.upper() for c in columns}
    missing = [c for c in CUSTOMER_COLUMNS if c not in upper]
    if missing:
        raise InputFileError(
            f"input file {path} has header {', '.join(columns)[:200]!r}, missing CUSTOMERS "
            f"column(s) {', '.join(missing)}; expected the CUSTOMERS columns "
            f"({', '.join(CUSTOMER_COLUMNS)}) or those of Churn_Modelling.csv "
            f"({', '.join(BANK_COLUMNS)})")
    frame = read_csv_text(text)
    malformed = frame.attrs["malformed_lines"]
    frame = frame.rename(columns=lambda c: str(c).strip().upper())
    frame.attrs["malformed_lines"] = malformed
    return frame


def input_description(data: str | None, generate: int | None, seed: int,
                      repo_root: Path) -> str:
    if generate is not None:
        return f"generated: {generate} customers, seed {seed}"
    return str((Path(data) if data else repo_root / REAL_DATA).resolve())


def recover_unfinished_runs(store: LocalStore, current_run_id: str,
                            progress: Callable[[str], None] = print) -> list[str]:
    """Finalize runs whose process died before its finalizer (kill -9, power loss).

    A run that had not committed its scoring is undone first (a champion it switched
    is switched back, its predictions are moved to quarantine/), so the state is as
    if it had failed; then its PIPELINE row is written, FAILED unless every step had
    succeeded. Runs under the state lock only, so no live run is touched.
    """
    log = store.read_table(PIPELINE_RUN_LOG)
    finished = set(log.loc[log["STEP"] == STEP_PIPELINE, "RUN_ID"].astype(str))
    recovered = []
    for run_id in dict.fromkeys(log["RUN_ID"].astype(str)):
        if run_id in finished:
            continue
        rows = log[log["RUN_ID"] == run_id]
        scored = ((rows["STEP"] == STEP_INFERENCE) & (rows["STATUS"] == STATUS_SUCCEEDED)).any()
        undone = [] if scored else store.roll_back_run(run_id)
        note = ("interrupted: its process ended before the finalizer; finalized by run "
                f"{current_run_id}" + (f" ({'; '.join(undone)})" if undone else ""))
        final = steps.finalize_pipeline_run(store, run_id, note=note)
        progress(f"recovered unfinished run {run_id}: {final['status']} - {note}")
        recovered.append(run_id)
    return recovered


def run_pipeline(
    customers: pd.DataFrame,
    state_dir: Path,
    min_roc_auc: float,
    max_auc_regression: float,
    run_id: str | None = None,
    progress: Callable[[str], None] = print,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run every step in graph order (later steps skipped after a failure), then finalize.

    SIGINT/SIGTERM (when ``interrupts.install()`` is active) fail the running step like
    an error; the finalizer then records the run as FAILED whatever happened before.
    """
    store = LocalStore(state_dir, sources={SOURCE_TABLE: customers})
    run_id = check_run_id(run_id or uuid.uuid4().hex)
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
    note = None
    interrupted: interrupts.RunInterrupted | None = None
    failed = False
    for name, step in graph:
        if failed:
            progress(f"{name:<20} {STATUS_SKIPPED:<10} {0.0:8.2f}s")
            continue
        try:
            summary = step()
            progress(f"{name:<20} {summary['status']:<10} {summary['seconds']:8.2f}s")
        except interrupts.RunInterrupted as error:
            failed = True
            interrupted = error
            note = f"{error} during {name}"
            errors[name] = f"RunInterrupted: {note}"
            progress(f"{name:<20} {STATUS_FAILED:<10} {'':>9} {note}")
        except Exception as error:
            failed = True
            errors[name] = f"{type(error).__name__}: {error}"
            progress(f"{name:<20} {STATUS_FAILED:<10} {'':>9} {errors[name]}")
    # Signals are held (not lost) while the outcome is recorded; main() exits with them.
    with interrupts.held():
        final = steps.finalize_pipeline_run(store, run_id, note=note)
    progress(f"{'PIPELINE':<20} {final['status']:<10} {final['duration_seconds']:8.2f}s")
    report = build_report(final, errors, context)
    if interrupted is not None:
        report["interrupted"] = interrupted
    return report


def build_report(final: dict[str, Any], errors: dict[str, str],
                 context: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        **(context or {}),
        "run_id": final["run_id"],
        "status": final["status"],
        "started_at": final.get("started_at"),
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


def failed_report(context: dict[str, Any], error: str, where: str) -> dict[str, Any]:
    """The report of a run refused before it changed anything."""
    return {**context, "status": STATUS_FAILED, "model_version": None,
            "champion_version": None, "metrics": None, "baseline": None, "promoted": False,
            "reason": f"run refused: {error}", "predictions_written": 0, "rows_total": None,
            "rows_rejected": None, "rejections": {}, "feature_view_version": None,
            "steps": {}, "psi": None, "duration_seconds": 0.0, "errors": {where: error}}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m churn_ml.local_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", help="CUSTOMERS CSV or Churn_Modelling.csv")
    source.add_argument("--generate", type=int, metavar="N", help="generate N sample customers")
    parser.add_argument("--report", help="write the JSON report here (a file path)")
    parser.add_argument("--state",
                        help="state folder (default <repo-root>/.pipeline-state/<stack>)")
    parser.add_argument("--stack", default="dev", choices=STACKS)
    parser.add_argument("--seed", type=int, default=42, help="seed for --generate")
    parser.add_argument("--repo-root", default=".", help="folder with Pulumi.<stack>.yaml")
    parser.add_argument("--run-id", help="run id (default: a new uuid); never reused")
    parser.add_argument("--lock-wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long for another run on the same --state (default 0)")
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="BLAS/OpenMP threads (default 1; 0 = library default)")
    return parser.parse_args(argv)


def summary(report: dict) -> str:
    """The few lines a person reads after a run; the JSON report has the rest.

    Lines whose facts the run never reached are left out rather than printed as None.
    """
    metrics = report.get("metrics") or {}
    baseline = report.get("baseline") or {}

    def fmt(value: object) -> str:
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    lines = [f"run {report['run_id']}: {report['status']} in "
             f"{fmt(report.get('duration_seconds'))} s" if report.get("steps") else
             f"run {report['run_id']}: {report['status']} - refused before any step ran; "
             f"the state was not changed"]
    for where, error in (report.get("errors") or {}).items():
        lines.append(f"  error in {where}: {error}")
    if report.get("rows_total") is not None:
        lines.append(f"  rows: {report['rows_total']} read, {report.get('rows_rejected')} "
                     f"rejected, {report.get('predictions_written')} predictions written")
    if report.get("model_version"):
        lines.append(f"  model {report['model_version']}: ROC AUC {fmt(metrics.get('roc_auc'))}, "
                     f"PR AUC {fmt(metrics.get('pr_auc'))} "
                     f"(logistic baseline ROC AUC {fmt(baseline.get('roc_auc'))})")
    if report.get("steps"):
        lines.append(f"  gate: {'promoted' if report.get('promoted') else 'not promoted'} "
                     f"- {report.get('reason')}")
    if report.get("steps"):
        psi = report.get("psi")
        lines.append(f"  champion: {report.get('champion_version') or 'none yet'}"
                     + (f"; score PSI vs champion baseline {fmt(psi)}" if psi is not None else ""))
    return "\n".join(lines)


def check_report_path(report: str | None) -> Path | None:
    """Refuse a --report that cannot be written, before the state is touched."""
    if not report:
        return None
    path = Path(report)
    if path.is_dir():
        raise UsageError(f"--report {report} is a folder; allowed: a file path such as "
                         f"{path / 'pipeline-report.json'}")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"--report {report}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK):
                raise UsageError(f"--report {report}: folder {parent} is not writable")
            break
    return path


def write_report(report: dict[str, Any], path: Path | None) -> None:
    text = json.dumps(report, indent=2, default=str)
    if path is None:
        print(text)
        return
    atomic_write_text(path, text + "\n")
    print(summary(report))
    print(f"report: {path}")
    # The evaluation page beside the JSON; a run without one (failed before the gate) removes
    # an older page, so nothing at that path speaks for a run it does not belong to.
    page = path.with_suffix(".html")
    if report.get("evaluation"):
        from churn_ml.report import write_report as write_evaluation_page

        title = f"Churn model {report['model_version']} ({report.get('stack')})"
        written = write_evaluation_page(report["evaluation"], page, title)
        print(f"evaluation report: {written['html']}")
    elif page.exists():
        page.unlink()


def _limit_threads(threads: int) -> Any:
    if threads <= 0:
        return None
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def _install_signal_handlers() -> dict[int, Any]:
    """SIGINT/SIGTERM become interrupts.RunInterrupted in the main thread."""
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, lambda n, _f: interrupts.on_signal(n, signal.Signals(n).name))
    return previous


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    previous = _install_signal_handlers()
    interrupts.reset()
    try:
        return _main(args)
    except interrupts.RunInterrupted as error:
        print(f"error: {error} before the run started; nothing was changed", file=sys.stderr)
        return error.exit_code
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _main(args: argparse.Namespace) -> int:
    repo_root = Path(args.repo_root).resolve()
    run_id = args.run_id or uuid.uuid4().hex
    state = Path(args.state) if args.state else repo_root / ".pipeline-state" / args.stack
    context: dict[str, Any] = {
        "run_id": run_id, "stack": args.stack,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": input_description(args.data, args.generate, args.seed, repo_root),
        "state": str(state.resolve()), "gate": None,
    }
    report_path: Path | None = None

    def refuse(error: Exception | str, where: str, code: int) -> int:
        print(f"error: {error}", file=sys.stderr)
        if report_path is not None:
            write_report(failed_report(context, str(error), where), report_path)
        return code

    try:
        report_path = check_report_path(args.report)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        check_run_id(run_id)
        gate_config = load_gate_config(repo_root, args.stack)
        context["gate"] = {"min_roc_auc": gate_config.min_roc_auc,
                           "max_auc_regression": gate_config.max_auc_regression}
        customers = load_input(args.data, args.generate, args.seed, repo_root)
    except StackConfigError as error:
        return refuse(error, "CONFIG", EXIT_BAD_INPUT)
    except (InputFileError, UsageError, ValueError) as error:
        return refuse(error, "INPUT", EXIT_BAD_INPUT)

    lock = StateLock(state, run_id)
    try:
        lock.acquire(args.lock_wait)
    except StateLockedError as error:
        return refuse(error, "STATE_LOCK", EXIT_LOCKED)
    except interrupts.RunInterrupted as error:
        return refuse(f"{error} while waiting for the state folder", "INTERRUPTED",
                      error.exit_code)
    limits = _limit_threads(args.threads)
    try:
        try:
            if lock.stale_holder:
                print(f"note: took over the lock of {StateLock.describe(lock.stale_holder)}, "
                      f"which ended without releasing it")
            store = LocalStore(state)
            recover_unfinished_runs(store, run_id)
            steps.ensure_run_id_unused(store, run_id)
        except steps.RunIdReusedError as error:
            return refuse(error, "RUN_ID", EXIT_BAD_INPUT)
        except interrupts.RunInterrupted as error:
            # Recovery is redone by the next run; this run has written nothing of its own.
            return refuse(f"{error} before its first step", "INTERRUPTED", error.exit_code)
        report = run_pipeline(customers, state, gate_config.min_roc_auc,
                              gate_config.max_auc_regression, run_id=run_id, context=context)
        report["started_at"] = context["started_at"]
        interrupted = report.pop("interrupted", None)
        with interrupts.held():
            write_report(report, report_path)
    finally:
        if limits is not None:
            limits.restore_original_limits()
        lock.release()
    interrupted = interrupts.pending() or interrupted
    if interrupted is not None:
        return interrupted.exit_code
    return EXIT_OK if report["status"] == STATUS_SUCCEEDED else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
