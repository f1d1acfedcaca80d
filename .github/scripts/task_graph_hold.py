"""Holds a stack's task graph during `pulumi up` (issue 9, item 10).

`procedure_definition` forces a replacement of the pipeline's procedures (terraform-provider-
snowflake v1.2.1, procedure_python: ForceNew), so a deploy while the graph runs drops the
procedures a running task calls. The deploy job therefore:

  pause   before `up`: if the deployed root task is started, suspend it (no new run starts),
          then wait until no run of the graph is executing; record whether it was started.
          A graph still running after HOLD_TIMEOUT_MINUTES refuses the deploy (the root is
          resumed again first), so `up` never replaces procedures under a running graph.
  resume  after `up`, whatever its outcome: resume the root if `pause` suspended it.

Suspending a root does not stop a run in progress (Snowflake: ALTER TASK ... SUSPEND), hence
the wait. Environment: SNOWFLAKE_ORGANIZATION_NAME, SNOWFLAKE_ACCOUNT_NAME, SNOWFLAKE_USER,
SNOWFLAKE_WAREHOUSE (the connection warehouse PULUMI_{ENV}_WH), SNOWFLAKE_PRIVATE_KEY,
SNOWFLAKE_ROLE (the deploy role: USAGE on that warehouse, and the graph's owner ML_{ENV}_ROLE
is granted to it, so it may suspend and resume the graph's tasks), PIPELINE_OUTPUT
(the stack output `pipeline` of the deployed stack as JSON, empty before the first deploy),
WAS_STARTED (resume only), HOLD_TIMEOUT_MINUTES (pause only, default 45).
"""

import json
import os
import sys
import time
from typing import Any, Callable, Optional

POLL_SECONDS = 30


def root_parts(pipeline_output: str) -> Optional[tuple[str, str, str]]:
    """'"DB"."SCHEMA"."TASK"' from the stack output -> (DB, SCHEMA, TASK); None if nothing is deployed."""
    if not pipeline_output.strip():
        return None
    fqn = json.loads(pipeline_output)["rootTask"]
    parts = [p.strip('"') for p in fqn.split(".")]
    if len(parts) != 3:
        raise ValueError(f"rootTask {fqn!r} is not DATABASE.SCHEMA.TASK")
    return parts[0], parts[1], parts[2]


def quoted(db: str, schema: str, name: str) -> str:
    return f'"{db}"."{schema}"."{name}"'


def root_state(cursor: Any, db: str, schema: str, name: str) -> Optional[str]:
    cursor.execute(f"SHOW TASKS LIKE '{name}' IN SCHEMA \"{db}\".\"{schema}\"")
    rows = [r for r in cursor.fetchall() if r["name"] == name]
    return rows[0]["state"] if rows else None


def executing_runs(cursor: Any, db: str, schema: str, name: str) -> int:
    cursor.execute(
        f'SELECT COUNT(*) AS N FROM TABLE("{db}".INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS(ROOT_TASK_NAME => %s)) '
        "WHERE DATABASE_NAME = %s AND SCHEMA_NAME = %s AND STATE = 'EXECUTING'",
        (name, db, schema),
    )
    return int(cursor.fetchall()[0]["N"])


def pause(
    cursor: Any,
    pipeline_output: str,
    timeout_minutes: float,
    record: Callable[[bool], None],
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, bool]:
    """Returns (exit code, was_started); `record` learns was_started before anything is changed,
    so that the resume step knows it even if this step fails half-way."""
    root = root_parts(pipeline_output)
    if root is None:
        print("No task graph deployed yet: nothing to hold.")
        return 0, False
    state = root_state(cursor, *root)
    if state is None:
        print(f"Root task {quoted(*root)} does not exist yet: nothing to hold.")
        return 0, False
    was_started = state == "started"
    record(was_started)
    if was_started:
        cursor.execute(f"ALTER TASK {quoted(*root)} SUSPEND")
        print(f"Suspended {quoted(*root)} for the deploy.")
    waited = 0.0
    while executing_runs(cursor, *root) > 0:
        if waited >= timeout_minutes * 60:
            if was_started:
                cursor.execute(f"ALTER TASK {quoted(*root)} RESUME")
            print(
                f"::error::The task graph {quoted(*root)} is still running after {timeout_minutes:g} minutes; "
                "deploy refused (the procedures it calls would be replaced). Re-run the deploy after the run."
            )
            return 1, was_started
        print(f"A run of {quoted(*root)} is executing; waiting ...")
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS
    return 0, was_started


def resume(cursor: Any, pipeline_output: str, was_started: bool) -> int:
    root = root_parts(pipeline_output)
    if root is None or not was_started:
        print("The graph was not started before the deploy: left as the stack declares it.")
        return 0
    cursor.execute(f"ALTER TASK {quoted(*root)} RESUME")
    print(f"Resumed {quoted(*root)}.")
    return 0


def connect() -> Any:
    from verify_task_graph import connect as connect_as_job

    return connect_as_job()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("pause", "resume"):
        print("usage: task_graph_hold.py pause|resume", file=sys.stderr)
        return 2
    env = os.environ
    pipeline_output = env.get("PIPELINE_OUTPUT", "")
    if root_parts(pipeline_output) is None:
        print("No task graph deployed yet: nothing to hold.")
        if argv[1] == "pause":
            write_output("was-started", "false")
        return 0
    import snowflake.connector

    with connect() as connection:
        cursor = connection.cursor(snowflake.connector.DictCursor)
        if argv[1] == "pause":
            code, _ = pause(
                cursor,
                pipeline_output,
                float(env.get("HOLD_TIMEOUT_MINUTES", "45")),
                record=lambda started: write_output("was-started", "true" if started else "false"),
            )
            return code
        return resume(cursor, pipeline_output, env.get("WAS_STARTED") == "true")


def write_output(key: str, value: str) -> None:
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
        out.write(f"{key}={value}\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
