"""Keep the retraining graph out of the way of a deploy (issue 9 §10).

Provider v1.2.1 replaces a Python procedure whenever its code changes (`procedure_definition`
is ForceNew, pkg/resources/procedure_commons.go) and, with an explicit name, drops it before
it creates the new one: a graph run that calls it meanwhile fails. So the deploy job runs

    python tools/task_graph_window.py pause  --stack <stack>   # before pulumi up
    pulumi up ...
    python tools/task_graph_window.py resume --stack <stack>   # after, also when up failed

`pause` suspends the root task (no new run starts; a run in progress is not cancelled by
Snowflake) and then waits until no run of the graph is EXECUTING
(INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS), failing after a deadline. `resume` resumes the root
only where the stack's config says the graph runs on its schedule (`pipelineStarted`); the
children and the finalizer stay started (the program keeps them so). Both do nothing when the
graph does not exist yet (first deploy).

Connection: the stack's deploy identity (SNOWFLAKE_USER / SNOWFLAKE_ROLE / SNOWFLAKE_WAREHOUSE,
defaulting to the bootstrap's PULUMI_{ENV}_DEPLOY_USER / _ROLE and PULUMI_{ENV}_WH), key-pair
auth with the PEM in SNOWFLAKE_PRIVATE_KEY; organization and account from the stack file. The
deploy role owns the ML role, so it may suspend and resume the role's tasks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "snowflake-mlops"
#: infra/snowflake/names.ts and pipelineSteps.ts: where the graph lives, and its root.
PIPELINES_SCHEMA = "PIPELINES"
ROOT_TASK = "ML_RETRAINING_PIPELINE"
POLL_SECONDS = 30


@dataclass(frozen=True)
class Graph:
    stack: str
    env: str
    #: Whether the root runs on its schedule in this stack (config `pipelineStarted`).
    started: bool
    #: Longest a single task may run (config `taskTimeoutMinutes`), the default wait.
    task_timeout_minutes: int
    organization: str
    account: str

    @property
    def database(self) -> str:
        return f"{self.env}_ML_DB"

    @property
    def root(self) -> str:
        return f'"{self.database}"."{PIPELINES_SCHEMA}"."{ROOT_TASK}"'


def read_graph(stack: str, root: Path = ROOT) -> Graph:
    """The stack's values, with Pulumi.yaml's defaults, as the CLI would apply them."""
    project = yaml.safe_load((root / "Pulumi.yaml").read_text())
    stack_file = root / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        raise SystemExit(f"{stack_file.name} does not exist; allowed stacks: dev, sit, uat, prd")
    values = yaml.safe_load(stack_file.read_text()).get("config", {})

    def value(key: str) -> Any:
        full = f"{PROJECT}:{key}"
        if full in values:
            return values[full]
        if "default" in project["config"].get(key, {}):
            return project["config"][key]["default"]
        raise SystemExit(f"{stack_file.name}: {full} is missing")

    return Graph(stack, str(value("env")), bool(value("pipelineStarted")), int(value("taskTimeoutMinutes")),
                 str(value("snowflakeOrganizationName")), str(value("snowflakeAccountName")))


def _graph_exists(cursor: Any, graph: Graph) -> bool:
    try:
        cursor.execute(f"SHOW TASKS LIKE '{ROOT_TASK}' IN SCHEMA \"{graph.database}\".\"{PIPELINES_SCHEMA}\"")
    except Exception as err:  # noqa: BLE001 - a missing database or schema: nothing deployed yet
        print(f"{graph.stack}: no graph to pause or resume yet ({err})")
        return False
    if not cursor.fetchall():
        print(f"{graph.stack}: {graph.root} does not exist yet; nothing to do")
        return False
    return True


def executing_runs(cursor: Any, graph: Graph) -> int:
    cursor.execute(
        f'SELECT COUNT(*) FROM TABLE("{graph.database}".INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS('
        f"ROOT_TASK_NAME => '{ROOT_TASK}')) "
        f"WHERE STATE = 'EXECUTING' AND DATABASE_NAME = '{graph.database}' AND SCHEMA_NAME = '{PIPELINES_SCHEMA}'"
    )
    return int(cursor.fetchone()[0])


def pause(cursor: Any, graph: Graph, wait_seconds: float,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> bool:
    """Suspends the root and waits for the running graph, if any, to finish. False on timeout."""
    if not _graph_exists(cursor, graph):
        return True
    cursor.execute(f"ALTER TASK {graph.root} SUSPEND")
    deadline = clock() + wait_seconds
    while True:
        running = executing_runs(cursor, graph)
        if running == 0:
            print(f"{graph.stack}: {graph.root} suspended, no run executing: safe to deploy")
            return True
        if clock() >= deadline:
            print(f"{graph.stack}: a run of {graph.root} is still executing after {wait_seconds:.0f} s; "
                  "not deploying (the root stays suspended until `resume`)", file=sys.stderr)
            return False
        print(f"{graph.stack}: waiting for {running} executing run(s) of {graph.root}")
        sleep(POLL_SECONDS)


def resume(cursor: Any, graph: Graph) -> None:
    """Resumes the root where the graph runs on its schedule; elsewhere it stays suspended."""
    if not _graph_exists(cursor, graph):
        return
    if not graph.started:
        print(f"{graph.stack}: pipelineStarted is false; {graph.root} stays suspended")
        return
    cursor.execute(f"ALTER TASK {graph.root} RESUME")
    print(f"{graph.stack}: {graph.root} resumed")


def connect(graph: Graph) -> Any:  # pragma: no cover - needs a Snowflake account
    import snowflake.connector
    from cryptography.hazmat.primitives import serialization

    pem = os.environ.get("SNOWFLAKE_PRIVATE_KEY")
    if not pem:
        raise SystemExit("SNOWFLAKE_PRIVATE_KEY is not set (the deploy user's PEM private key)")
    passphrase = os.environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE")
    key = serialization.load_pem_private_key(pem.encode(), password=passphrase.encode() if passphrase else None)
    # The connector wants the key as DER bytes (SPEC §8: PEM text was the original system's defect).
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return snowflake.connector.connect(
        account=f"{graph.organization}-{graph.account}",
        user=os.environ.get("SNOWFLAKE_USER", f"PULUMI_{graph.env}_DEPLOY_USER"),
        role=os.environ.get("SNOWFLAKE_ROLE", f"PULUMI_{graph.env}_DEPLOY_ROLE"),
        warehouse=os.environ.get("SNOWFLAKE_WAREHOUSE", f"PULUMI_{graph.env}_WH"),
        authenticator="SNOWFLAKE_JWT",
        private_key=der,
        session_parameters={"QUERY_TAG": f"mlplatform-{graph.stack}-deploy-window"},
    )


def main(argv: list[str] | None = None, connector: Callable[[Graph], Any] = connect) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["pause", "resume"])
    parser.add_argument("--stack", required=True, choices=["dev", "sit", "uat", "prd"])
    parser.add_argument("--wait-minutes", type=float, default=None,
                        help="how long `pause` waits for a running graph (default: taskTimeoutMinutes + 10)")
    args = parser.parse_args(argv)
    graph = read_graph(args.stack)
    conn = connector(graph)
    try:
        cursor = conn.cursor()
        if args.action == "resume":
            resume(cursor, graph)
            return 0
        wait = (args.wait_minutes if args.wait_minutes is not None else graph.task_timeout_minutes + 10) * 60
        return 0 if pause(cursor, graph, wait) else 1
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
