"""Session fixtures of the SQL verification layer (docs/sql-verification.md).

The exporter (tools/exportDeclaredSql.ts) runs once per session and evaluates all four
stacks in one Node process; set DECLARED_SQL_DIR to a folder it already wrote to skip it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from declared import STACKS, DeclaredStack  # noqa: E402


def _export(out_dir: Path) -> float:
    started = time.monotonic()
    npx = "npx.cmd" if os.name == "nt" else "npx"
    result = subprocess.run(
        [npx, "ts-node", "--transpile-only", "tools/exportDeclaredSql.ts", str(out_dir)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        pytest.exit(f"tools/exportDeclaredSql.ts failed ({result.returncode}):\n{result.stdout}\n{result.stderr}", returncode=1)
    return time.monotonic() - started


@pytest.fixture(scope="session")
def declared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("DECLARED_SQL_DIR")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("declared")
    seconds = _export(out)
    print(f"\nexportDeclaredSql: {len(STACKS)} stacks evaluated in {seconds:.1f}s -> {out}")
    return out


@pytest.fixture(scope="session")
def declared_docs(declared_dir: Path) -> dict[str, dict]:
    import json

    docs = {}
    for stack in STACKS:
        path = declared_dir / f"{stack}.json"
        if not path.exists():
            pytest.fail(f"{path} is missing: the exporter did not write stack {stack}")
        docs[stack] = json.loads(path.read_text())
    return docs


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def declared(declared_docs: dict[str, dict], stack: str) -> DeclaredStack:
    """A fresh copy per test, so tests may mutate it."""
    import copy

    return DeclaredStack.from_json(copy.deepcopy(declared_docs[stack]))


def pytest_configure(config: pytest.Config) -> None:
    # fakesnow notes that DB-API results copy Arrow data; irrelevant at a few hundred rows.
    config.addinivalue_line("filterwarnings", "ignore:Arrow output on a DB-API result:UserWarning")
