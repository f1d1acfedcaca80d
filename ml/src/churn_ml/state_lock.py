"""One run at a time per local state folder.

``StateLock`` is an ``fcntl.flock`` on ``<state>/.lock``: the kernel releases it
when its holder exits, however it exits (kill -9 included), so a lock is never
left held by a dead run. The holder's pid, host, run id and start time are
written into the file to name the holder to whoever waits; a lock file that
names a holder which is gone without releasing it is reported as stale and
taken over. (flock works between processes of one machine on local file
systems; do not share a state folder over NFS between machines.)
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_FILE = ".lock"


class StateLockedError(RuntimeError):
    """Another run holds the state folder."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StateLock:
    """Exclusive lock of a state folder for one run (see module docstring)."""

    def __init__(self, state_dir: Path, run_id: str):
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / LOCK_FILE
        self.run_id = run_id
        self._fd: int | None = None
        self.stale_holder: dict[str, Any] | None = None

    def holder(self) -> dict[str, Any] | None:
        """What the lock file says about its holder (may be a finished run's)."""
        try:
            text = self.path.read_text(encoding="utf-8")
            return json.loads(text) if text.strip() else None
        except (OSError, ValueError):
            return None

    @staticmethod
    def describe(holder: dict[str, Any] | None) -> str:
        if not holder:
            return "an unknown process"
        return (f"run {holder.get('run_id')} (pid {holder.get('pid')} on host "
                f"{holder.get('host')}, started {holder.get('started_at')})")

    def acquire(self, wait_seconds: float = 0.0, poll_seconds: float = 0.2) -> None:
        """Take the lock, waiting up to ``wait_seconds``; StateLockedError names the holder."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds > 0 else ""
                    raise StateLockedError(
                        f"state folder {self.state_dir} is in use by "
                        f"{self.describe(self.holder())}{waited}; wait for it to finish, "
                        f"pass --lock-wait SECONDS, or use another --state"
                    ) from None
                time.sleep(poll_seconds)
        previous = self.holder()
        if previous and previous.get("pid") and not previous.get("released"):
            same_host = previous.get("host") == socket.gethostname()
            if not same_host or not _alive(int(previous["pid"])):
                # The kernel dropped its flock when it died: it was killed mid-run.
                self.stale_holder = previous
        info = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": self.run_id,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        info = self.holder() or {}
        info["released"] = datetime.now(UTC).isoformat(timespec="seconds")
        data = (json.dumps(info) + "\n").encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> StateLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
