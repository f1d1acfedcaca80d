"""Gate parameters from the repository's Pulumi stack file (local runs only).

Reads the stack file as the program does (stacks/config.ts): project defaults from
Pulumi.yaml, then the stack's values; a key of this project that Pulumi.yaml does
not declare is an error naming the closest declared key (a misspelt key would
otherwise be ignored and its default used). Every problem of the file is reported
in one StackConfigError.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT = "snowflake-mlops"
STACKS = ("dev", "sit", "uat", "prd")
MIN_ROC_AUC_KEY = f"{PROJECT}:minRocAuc"
MAX_AUC_REGRESSION_KEY = f"{PROJECT}:maxAucRegression"


class StackConfigError(ValueError):
    """The stack file or one of its keys is missing or invalid; the message lists every problem."""


@dataclass(frozen=True)
class GateConfig:
    min_roc_auc: float
    max_auc_regression: float


def stack_file(repo_root: Path, stack: str) -> Path:
    return Path(repo_root) / f"Pulumi.{stack}.yaml"


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise StackConfigError(f"{path}: YAML syntax error{where}: {problem}") from None
    except UnicodeDecodeError:
        raise StackConfigError(f"{path}: not UTF-8 text") from None


def _number(config: dict, key: str, low: float, high: float,
            problems: list[str]) -> float | None:
    if key not in config:
        problems.append(f"{key}: missing; allowed: a number from {low} to {high}")
        return None
    raw = config[key]
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(f"{key}: {raw!r} is not a number; allowed: a number from {low} to {high}")
        return None
    if not low <= value <= high:
        problems.append(f"{key}: {value} is out of range; allowed: a number from {low} to {high}")
        return None
    return value


def declared_keys(repo_root: Path) -> dict[str, dict]:
    """The config keys Pulumi.yaml declares (without the project prefix) and their specs."""
    path = Path(repo_root) / "Pulumi.yaml"
    if not path.exists():
        return {}
    document = _load_yaml(path) or {}
    declared = document.get("config") if isinstance(document, dict) else None
    return declared if isinstance(declared, dict) else {}


def project_defaults(repo_root: Path) -> dict:
    """Defaults declared in Pulumi.yaml, as the Pulumi CLI applies them, keyed like a stack file."""
    return {
        f"{PROJECT}:{key}": spec["default"]
        for key, spec in declared_keys(repo_root).items()
        if isinstance(spec, dict) and "default" in spec
    }


def unknown_key_problems(config: dict, declared: dict) -> list[str]:
    """One problem per key of this project that Pulumi.yaml does not declare."""
    if not declared:
        return []
    problems = []
    for key in config:
        name = str(key)
        if ":" in name and not name.startswith(f"{PROJECT}:"):
            continue  # another namespace (a provider's or pulumi's own keys)
        short = name.split(":", 1)[-1]
        if short in declared:
            continue
        close = difflib.get_close_matches(short, list(declared), n=1, cutoff=0.6)
        hint = f"did you mean {PROJECT}:{close[0]}?" if close else "see Pulumi.yaml for the keys"
        problems.append(f"{name}: unknown key ({hint})")
    return problems


def load_gate_config(repo_root: Path, stack: str) -> GateConfig:
    if stack not in STACKS:
        raise StackConfigError(f"unknown stack '{stack}'; allowed: {', '.join(STACKS)}")
    path = stack_file(repo_root, stack)
    if not path.exists():
        raise StackConfigError(
            f"stack file {path} not found (needs keys '{MIN_ROC_AUC_KEY}' and "
            f"'{MAX_AUC_REGRESSION_KEY}')"
        )
    document = _load_yaml(path) or {}
    problems: list[str] = []
    if not isinstance(document, dict):
        raise StackConfigError(f"{path}: expected a mapping with a 'config:' section")
    stack_config = document.get("config") or {}
    if not isinstance(stack_config, dict):
        raise StackConfigError(f"{path}: 'config:' must be a mapping of keys to values")
    problems += unknown_key_problems(stack_config, declared_keys(repo_root))
    config = {**project_defaults(repo_root),
              **{(k if ":" in str(k) else f"{PROJECT}:{k}"): v for k, v in stack_config.items()}}
    # The same ranges as stacks/configSchema.ts, which validates these keys for the program.
    min_roc_auc = _number(config, MIN_ROC_AUC_KEY, 0.5, 1.0, problems)
    max_auc_regression = _number(config, MAX_AUC_REGRESSION_KEY, 0.0, 0.5, problems)
    if problems:
        raise StackConfigError(
            f"invalid configuration in {path} ({len(problems)} problem"
            f"{'' if len(problems) == 1 else 's'}): " + "; ".join(problems)
        )
    assert min_roc_auc is not None and max_auc_regression is not None
    return GateConfig(min_roc_auc=min_roc_auc, max_auc_regression=max_auc_regression)
