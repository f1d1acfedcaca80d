"""Gate parameters from the repository's Pulumi stack file (local runs only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT = "snowflake-mlops"
STACKS = ("dev", "sit", "uat", "prd")
MIN_ROC_AUC_KEY = f"{PROJECT}:minRocAuc"
MAX_AUC_REGRESSION_KEY = f"{PROJECT}:maxAucRegression"


class StackConfigError(ValueError):
    """The stack file or one of its keys is missing or invalid."""


@dataclass(frozen=True)
class GateConfig:
    min_roc_auc: float
    max_auc_regression: float


def stack_file(repo_root: Path, stack: str) -> Path:
    return Path(repo_root) / f"Pulumi.{stack}.yaml"


def _number(config: dict, key: str, path: Path, low: float, high: float) -> float:
    if key not in config:
        raise StackConfigError(f"missing config key '{key}' in stack file {path}")
    try:
        value = float(config[key])
    except (TypeError, ValueError):
        raise StackConfigError(
            f"config key '{key}' in {path} must be a number, got {config[key]!r}"
        ) from None
    if not low <= value <= high:
        raise StackConfigError(f"config key '{key}' in {path} must be in [{low}, {high}]")
    return value


def project_defaults(repo_root: Path) -> dict:
    """Defaults declared in Pulumi.yaml, as the Pulumi CLI applies them, keyed like a stack file."""
    path = Path(repo_root) / "Pulumi.yaml"
    if not path.exists():
        return {}
    declared = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
    return {
        f"{PROJECT}:{key}": spec["default"]
        for key, spec in declared.items()
        if isinstance(spec, dict) and "default" in spec
    }


def load_gate_config(repo_root: Path, stack: str) -> GateConfig:
    if stack not in STACKS:
        raise StackConfigError(f"unknown stack '{stack}'; allowed: {', '.join(STACKS)}")
    path = stack_file(repo_root, stack)
    if not path.exists():
        raise StackConfigError(
            f"stack file {path} not found (needs keys '{MIN_ROC_AUC_KEY}' and "
            f"'{MAX_AUC_REGRESSION_KEY}')"
        )
    document = yaml.safe_load(path.read_text()) or {}
    config = {**project_defaults(repo_root), **(document.get("config") or {})}
    # The same ranges as stacks/configSchema.ts, which validates these keys for the program.
    return GateConfig(
        min_roc_auc=_number(config, MIN_ROC_AUC_KEY, path, 0.5, 1.0),
        max_auc_regression=_number(config, MAX_AUC_REGRESSION_KEY, path, 0.0, 0.5),
    )
