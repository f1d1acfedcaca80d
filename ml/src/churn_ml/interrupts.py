"""Interruptions (SIGINT/SIGTERM) as an exception a run records, and sections they cannot split.

The signal handlers themselves are installed by the local CLI (local_run), which
calls ``on_signal``; this module imports no ``signal`` so the stored procedures,
which share the steps, carry nothing they do not need. Code inside
``deferred()`` is not interrupted: a signal arriving there is held and raised
when the outermost block ends, so a commit (predictions + champion switch) or a
run-log row is written whole or not at all. ``held()`` holds signals and leaves
them pending for the caller (used while a run's outcome is recorded). Without
handlers (stored procedures, tests) both only count their depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0
_pending: tuple[int, str] | None = None


class RunInterrupted(Exception):
    """The run was stopped by a signal (SIGINT or SIGTERM)."""

    def __init__(self, signum: int, name: str):
        self.signum = signum
        self.signal_name = name
        super().__init__(f"run interrupted by {name}")

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + signal number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + self.signum


def on_signal(signum: int, name: str) -> None:
    """Called from a signal handler: raise now, or hold until the protected section ends."""
    global _pending
    if _depth > 0:
        _pending = _pending or (signum, name)
        return
    raise RunInterrupted(signum, name)


def pending() -> RunInterrupted | None:
    """The signal held by ``held()`` (if any), as the exception it would have raised."""
    return RunInterrupted(*_pending) if _pending else None


def reset() -> None:
    global _pending
    _pending = None


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM until the block ends, then raise (see module docstring)."""
    global _depth, _pending
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None:
            held_signal, _pending = _pending, None
            raise RunInterrupted(*held_signal)


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM during the block and keep them pending afterwards."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
