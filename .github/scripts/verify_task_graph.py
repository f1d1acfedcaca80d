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


def schema_of(fqn: str) -> str:
    """'"DB"."SCHEMA"."TASK"' -> '"DB"."SCHEMA"'."""
    return ".".join(fqn.split(".")[:2])


def main() -> int:
    env = os.environ
    pipeline = json.loads(env["PIPELINE_OUTPUT"])
    expect_started = env["EXPECT_STARTED"] == "true"
    expected_state = "started" if expect_started else "suspended"
    connection = snowflake.connector.connect(
        account=f"{env['SNOWFLAKE_ORGANIZATION_NAME']}-{env['SNOWFLAKE_ACCOUNT_NAME']}",
        user=env["SNOWFLAKE_USER"],
        role=env["SNOWFLAKE_ROLE"],
        warehouse=env["SNOWFLAKE_WAREHOUSE"],
        authenticator="SNOWFLAKE_JWT",
        private_key=private_key_der(env["SNOWFLAKE_PRIVATE_KEY"]),
    )
    with connection:
        cursor = connection.cursor(snowflake.connector.DictCursor)
        cursor.execute(f"SHOW TASKS IN SCHEMA {schema_of(pipeline['rootTask'])}")
        states = {row["name"]: row["state"] for row in cursor.fetchall()}

    problems = [f"task {name} is missing" for name in pipeline["tasks"] if name not in states]
    # A started graph needs every task resumed; a suspended one is held by its root.
    must_match = pipeline["tasks"] if expect_started else pipeline["tasks"][:1]
    problems += [
        f"task {name} is {states[name]}, expected {expected_state}"
        for name in must_match
        if name in states and states[name] != expected_state
    ]
    for problem in problems:
        print(f"::error::{problem}")
    if not problems:
        print(f"Task graph OK: {len(pipeline['tasks'])} tasks, {expected_state}.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
