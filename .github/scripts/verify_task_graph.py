"""Checks after `pulumi up` that the stack's task graph is in the state it declares.

The Snowflake provider suspends a graph's root while it changes the graph and resumes it
afterwards; users report graphs left suspended (NOTES, "Task"). A production graph that
silently stops running is the original system's worst defect, so the deploy fails instead.

Environment (the stack's GitHub environment variables and secret, plus the deploy step's
facts): SNOWFLAKE_ORGANIZATION_NAME, SNOWFLAKE_ACCOUNT_NAME, SNOWFLAKE_USER, SNOWFLAKE_ROLE,
SNOWFLAKE_WAREHOUSE, SNOWFLAKE_PRIVATE_KEY (PEM), EXPECT_STARTED ("true"/"false"),
PIPELINE_OUTPUT (the stack output `pipeline` as JSON: rootTask, tasks).
"""

import json
import os
import sys

import snowflake.connector
from cryptography.hazmat.primitives import serialization


def private_key_der(pem: str) -> bytes:
    # The connector wants DER bytes, not PEM text (SPEC §8).
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def connect() -> "snowflake.connector.SnowflakeConnection":
    """A session as the job's identity (the environment's variables and secret)."""
    env = os.environ
    return snowflake.connector.connect(
        account=f"{env['SNOWFLAKE_ORGANIZATION_NAME']}-{env['SNOWFLAKE_ACCOUNT_NAME']}",
        user=env["SNOWFLAKE_USER"],
        role=env["SNOWFLAKE_ROLE"],
        warehouse=env["SNOWFLAKE_WAREHOUSE"],
        authenticator="SNOWFLAKE_JWT",
        private_key=private_key_der(env["SNOWFLAKE_PRIVATE_KEY"]),
    )


def schema_of(fqn: str) -> str:
    """'"DB"."SCHEMA"."TASK"' -> '"DB"."SCHEMA"'."""
    return ".".join(fqn.split(".")[:2])


def graph_problems(tasks: list[str], states: dict[str, str], expect_started: bool) -> list[str]:
    """`tasks`: the root first. Only the root follows `pipelineStarted`; children and the
    finalizer are always started, so that EXECUTE TASK on a suspended root runs the whole
    graph (Snowflake skips suspended children; issue 9, item 5)."""
    problems = [f"task {name} is missing" for name in tasks if name not in states]
    for i, name in enumerate(tasks):
        want = ("started" if expect_started else "suspended") if i == 0 else "started"
        if name in states and states[name] != want:
            problems.append(f"task {name} is {states[name]}, expected {want}")
    return problems


def main() -> int:
    env = os.environ
    pipeline = json.loads(env["PIPELINE_OUTPUT"])
    expect_started = env["EXPECT_STARTED"] == "true"
    with connect() as connection:
        cursor = connection.cursor(snowflake.connector.DictCursor)
        cursor.execute(f"SHOW TASKS IN SCHEMA {schema_of(pipeline['rootTask'])}")
        states = {row["name"]: row["state"] for row in cursor.fetchall()}

    problems = graph_problems(pipeline["tasks"], states, expect_started)
    for problem in problems:
        print(f"::error::{problem}")
    if not problems:
        root = "started" if expect_started else "suspended"
        print(f"Task graph OK: {len(pipeline['tasks'])} tasks, root {root}, the others started.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
