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
