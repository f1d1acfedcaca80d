"""CSV input files: checked before parsing, then read as text.

``check_readable`` turns the ways a file can be unreadable (missing, a folder,
empty, compressed, not UTF-8, another delimiter) into one ``InputFileError``
line that says what was found and what is expected.

Everything is read as text; ``validation`` parses it, so a bad value becomes
a rejected row rather than a crash or a coerced value. Lines with the wrong
number of fields are skipped and counted in ``frame.attrs["malformed_lines"]``.
CUSTOMERS files: header row, booleans true/false or 1/0, ISO 8601 timestamps.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

MALFORMED_LINES = "malformed_lines"

# Leading bytes of compressed or binary files people pass by mistake.
_MAGIC = {
    b"\x1f\x8b": "gzip-compressed",
    b"PK\x03\x04": "a zip archive",
    b"BZh": "bzip2-compressed",
    b"\xfd7zXZ\x00": "xz-compressed",
    b"\x28\xb5\x2f\xfd": "zstd-compressed",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file",
}
_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}


class InputFileError(ValueError):
    """The input file cannot be read as a CSV; the message is one line for the user."""


def check_readable(path: Path) -> str:
    """Return the file's text, or raise InputFileError saying what was found and expected."""
    path = Path(path)
    expected = "expected a UTF-8 CSV file with a comma-separated header row"
    if not path.exists():
        raise InputFileError(f"input file {path} not found; {expected}")
    if path.is_dir():
        raise InputFileError(f"input {path} is a folder; {expected}")
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(f"input file {path} is empty ({len(data)} bytes); {expected}")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            hint = " (gunzip it first)" if magic == b"\x1f\x8b" else ""
            raise InputFileError(f"input file {path} is {what}{hint}; {expected}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"input file {path} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); {expected} (re-save it as UTF-8)"
        ) from None
    if "\x00" in text:
        raise InputFileError(f"input file {path} contains NUL bytes (binary data); {expected}")
    header = text.splitlines()[0]
    if "," not in header:
        for delimiter, name in _OTHER_DELIMITERS.items():
            if delimiter in header:
                raise InputFileError(
                    f"input file {path} separates its header fields with {name} "
                    f"({delimiter!r}); {expected} (',' as delimiter)"
                )
    return text


def header_columns(text: str) -> list[str]:
    first = text.splitlines()[0]
    return [c.strip() for c in next(csv.reader([first]))]


def read_csv_text(text: str) -> pd.DataFrame:
    """Every column as text (blank cells as NA); malformed lines counted, not fatal."""
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    try:
        frame = pd.read_csv(io.StringIO(text), **read)
        malformed = 0
    except pd.errors.ParserError:
        bad_lines: list[list[str]] = []

        def skip(line: list[str]) -> None:
            bad_lines.append(line)

        frame = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=skip, **read)
        malformed = len(bad_lines)
    frame = frame.rename(columns=lambda c: str(c).strip())
    frame.attrs[MALFORMED_LINES] = malformed
    return frame


def read_customers_csv(path: str | Path) -> pd.DataFrame:
    frame = read_csv_text(check_readable(Path(path)))
    malformed = frame.attrs[MALFORMED_LINES]
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
