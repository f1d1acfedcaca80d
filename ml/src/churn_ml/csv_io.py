"""CUSTOMERS CSV files: header row, booleans true/false or 1/0, ISO 8601 timestamps.

Everything is read as text; ``validation`` parses it, so a bad value becomes
a rejected row rather than a crash. Lines with the wrong number of fields are
skipped and counted in ``frame.attrs["malformed_lines"]``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

MALFORMED_LINES = "malformed_lines"


def read_customers_csv(path: str | Path) -> pd.DataFrame:
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    try:
        frame = pd.read_csv(path, **read)
        malformed = 0
    except pd.errors.ParserError:
        bad_lines: list[list[str]] = []

        def skip(line: list[str]) -> None:
            bad_lines.append(line)

        frame = pd.read_csv(path, engine="python", on_bad_lines=skip, **read)
        malformed = len(bad_lines)
    frame = frame.rename(columns=lambda c: str(c).strip().upper())
    frame.attrs[MALFORMED_LINES] = malformed
    return frame


def write_customers_csv(frame: pd.DataFrame, path: str | Path) -> None:
    out = frame.copy()
    for column in ("HAS_CREDIT_CARD", "IS_ACTIVE_MEMBER"):
        if column in out and out[column].dtype == bool:
            out[column] = out[column].map({True: "true", False: "false"})
    if "LAST_UPDATED" in out and pd.api.types.is_datetime64_any_dtype(out["LAST_UPDATED"]):
        out["LAST_UPDATED"] = out["LAST_UPDATED"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    out.to_csv(path, index=False)
