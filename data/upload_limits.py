"""The limits an import file must keep (settings) and how a refusal is reported; shared by
:mod:`data.upload_guard` and :mod:`data.xlsx_guard`."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, fields, replace

from data.problems import Problem

MB = 1 << 20
CHUNK = 4 * MB
ENV_PREFIX = "MARKET_ACCESS_LIMIT_"


@dataclass(frozen=True)
class Limits:
    """What an import file may be at most."""

    file_mb: int = 256  # bytes on disk, in MiB
    rows: int = 2_000_000  # data rows of one file or sheet
    columns: int = 100  # fields of one line / columns of one sheet (contract tables have ≤ 30)
    cell_chars: int = 32_767  # characters of one cell (Excel's own limit)
    inflated_mb: int = 1024  # all members of an xlsx, uncompressed, in MiB
    ratio: int = 100  # uncompressed / compressed size of one large xlsx member
    shared_strings_mb: int = 256  # xl/sharedStrings.xml uncompressed, in MiB
    members: int = 2000  # entries of an xlsx zip
    name_chars: int = 120  # characters of a file name

    @property
    def file_bytes(self) -> int:
        return self.file_mb * MB

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, overridden by ``MARKET_ACCESS_LIMIT_<NAME>`` (positive integers)."""
        env = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip().isdigit() and int(raw) > 0:
                changes[f.name] = int(raw)
        return replace(cls(), **changes)  # type: ignore[arg-type]


class Refused(Exception):
    """A file refused by a limit; ``problem`` says where and why (in Chinese)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def shown_name(name: str, limit: int = 60) -> str:
    """A file name safe to show in a message or a terminal: control and format characters
    written as ``\\uXXXX``, shortened to ``limit`` characters."""
    text = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in name)
    return text if len(text) <= limit else text[: limit - 1] + "…"
