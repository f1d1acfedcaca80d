"""Benchmark of the local pipeline: real data (median of 3) and 1M generated rows.

Usage::

    python -m churn_ml.bench [--repo-root DIR] [--rows 1000000] [--skip-large]
        [--min-roc-auc 0.75] [--max-auc-regression 0.02] [--threads N] [--report JSON]

Each measurement runs in a fresh child process with a fresh state folder so
that peak RSS (resource.getrusage, RUSAGE_CHILDREN) belongs to that run only.
``--threads N`` sets OMP_NUM_THREADS (and the BLAS thread variables) in the
children; default 1, as the local CLI; ``0`` uses every core (the libraries' default).
Targets: real data < 30 s end to end, 1M rows < 5 min within 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import sys, time
from pathlib import Path
from churn_ml.local_run import load_input, run_pipeline
repo_root, state, generate, min_auc, margin = sys.argv[1:6]
t0 = time.perf_counter()
customers = load_input(None, int(generate) if generate != "-" else None, 42, Path(repo_root))
report = run_pipeline(customers, Path(state), float(min_auc), float(margin),
                      progress=lambda _: None)
print(report["status"], time.perf_counter() - t0, report["metrics"]["roc_auc"],
      report["predictions_written"])
"""


def run_once(repo_root: Path, generate: int | None, min_auc: float, margin: float,
             threads: int = 1) -> dict:
    count = str(threads if threads > 0 else os.cpu_count() or 1)
    env = {**os.environ, **{v: count for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                               "MKL_NUM_THREADS")}}
    with tempfile.TemporaryDirectory() as state:
        t0 = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, str(repo_root), state,
             str(generate) if generate else "-", str(min_auc), str(margin)],
            capture_output=True, text=True, check=True, env=env,
        )
        wall = time.perf_counter() - t0
    status, pipeline_seconds, auc, written = completed.stdout.split()[-4:]
    return {"status": status, "wall_seconds": round(wall, 2),
            "pipeline_seconds": round(float(pipeline_seconds), 2), "roc_auc": float(auc),
            "predictions_written": int(written)}


def peak_rss_mb() -> float:
    # ru_maxrss of children is the largest single child's peak, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m churn_ml.bench")
    parser.add_argument("--repo-root", default=".")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--min-roc-auc", type=float, default=0.75)
    parser.add_argument("--max-auc-regression", type=float, default=0.02)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for the runs (default 1; 0 = every core)")
    parser.add_argument("--report")
    args = parser.parse_args(argv)
    repo_root = Path(args.repo_root).resolve()
    results: dict = {"cpus": os.cpu_count(), "omp_threads": args.threads or "all cores",
                     "load_average_before": os.getloadavg()}
    real = [run_once(repo_root, None, args.min_roc_auc, args.max_auc_regression, args.threads)
            for _ in range(3)]
    results["real_data"] = {
        "runs": real,
        "median_wall_seconds": statistics.median(r["wall_seconds"] for r in real),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(f"real data: median {results['real_data']['median_wall_seconds']:.2f}s "
          f"(runs {[r['wall_seconds'] for r in real]}), "
          f"peak RSS {results['real_data']['peak_rss_mb']:.0f} MB", flush=True)
    if not args.skip_large:
        large = run_once(repo_root, args.rows, args.min_roc_auc, args.max_auc_regression,
                         args.threads)
        results["generated"] = {"rows": args.rows, **large, "peak_rss_mb": round(peak_rss_mb(), 1)}
        print(f"{args.rows} generated rows: {large['wall_seconds']:.2f}s, "
              f"peak RSS {results['generated']['peak_rss_mb']:.0f} MB", flush=True)
    text = json.dumps(results, indent=2)
    if args.report:
        Path(args.report).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
