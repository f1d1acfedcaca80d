"""Model version naming and the never-overwrite rule (pure)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

_VERSION_PATTERN = re.compile(r"^V\d{8}_\d{6}_[0-9A-F]{6}$")


class VersionExistsError(RuntimeError):
    """A model version with this name is already registered; versions are immutable."""


def make_version_name(run_time: datetime, run_id: str) -> str:
    """Unique, sortable version name such as ``V20261127_170102_1A2B3C``.

    The suffix is taken from the run id so two runs in the same second differ.
    """
    suffix = re.sub(r"[^0-9A-Fa-f]", "", run_id)[-6:].upper()
    if len(suffix) < 6:
        suffix = hashlib.sha256(run_id.encode()).hexdigest()[:6].upper()
    return f"V{run_time:%Y%m%d_%H%M%S}_{suffix}"


def is_version_name(name: str) -> bool:
    return bool(_VERSION_PATTERN.match(name))


def ensure_new_version(version: str, existing: list[str] | set[str]) -> None:
    """Raise VersionExistsError when ``version`` is already registered."""
    if version in existing:
        raise VersionExistsError(
            f"model version {version} is already registered; versions are never overwritten"
        )


class ChampionIncompatibleError(RuntimeError):
    """The champion was logged with dependency versions this environment does not have.

    Decision (issue 11): a champion never loads with ``force=True`` into an environment
    whose pins differ from those recorded at logging time; a pickled scikit-learn model
    is only guaranteed to behave the same under the versions it was pickled with. After
    a dependency upgrade the gate meets an incompatible champion, cannot re-score it on
    the candidate's rows, and decides on the candidate's own interval (as for a first
    model), so the run that ships the upgrade also replaces the champion; scoring with an
    incompatible champion fails loudly, naming the packages.
    """


# Options for Registry.log_model (snowflake-ml-python 1.7.2,
# model/_packager/model_handlers/sklearn.py and model_composer.py):
# - enable_explainability False: with sample_input_data and no option the sklearn handler
#   turns SHAP explanations on and records a `shap` dependency; ModelVersion.load() then
#   refuses wherever shap is not installed (our procedures do not declare it).
# - relax_version False: by default the recorded dependencies are relaxed to
#   ">=x.y,<x+1", so a version logged under scikit-learn 1.5.2 would be unpickled under a
#   later 1.x without complaint. Exact pins make load() detect the upgrade instead.
MODEL_LOG_OPTIONS: dict[str, bool] = {"enable_explainability": False, "relax_version": False}
