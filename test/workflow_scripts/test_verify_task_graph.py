"""The deploy job's post-`up` check of the task graph (.github/scripts/verify_task_graph.py):
only the root follows `pipelineStarted`; children and the finalizer must always be started,
or EXECUTE TASK on a suspended root would run the root alone (issue 9, item 5)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".github" / "scripts"))

import verify_task_graph as verify  # noqa: E402

TASKS = ["ML_RETRAINING_PIPELINE", "FEATURE_ENGINEERING_TASK", "TRAINING_TASK", "FINALIZE_RUN_TASK"]


def states(root: str, others: str) -> dict[str, str]:
    return {name: (root if i == 0 else others) for i, name in enumerate(TASKS)}


def test_suspended_root_with_started_children_is_what_dev_sit_uat_declare():
    assert verify.graph_problems(TASKS, states("suspended", "started"), expect_started=False) == []


def test_started_graph_is_what_prd_declares():
    assert verify.graph_problems(TASKS, states("started", "started"), expect_started=True) == []


def test_suspended_children_are_refused_in_every_stack():
    for expect_started, root in ((False, "suspended"), (True, "started")):
        problems = verify.graph_problems(TASKS, states(root, "suspended"), expect_started)
        assert problems == [f"task {name} is suspended, expected started" for name in TASKS[1:]]


def test_root_left_suspended_in_prd_and_missing_tasks_are_refused():
    current = states("suspended", "started")
    del current["TRAINING_TASK"]
    assert verify.graph_problems(TASKS, current, expect_started=True) == [
        "task TRAINING_TASK is missing",
        "task ML_RETRAINING_PIPELINE is suspended, expected started",
    ]
