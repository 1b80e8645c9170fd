"""The input of validation: one contract table's raw rows in a batch (:class:`RawTable`),
and the codes its rows may refer to (:class:`References`).

Kept apart from :mod:`data.validate` so that the table rules (:mod:`data.rules`), which
read both, and the validator, which applies the rules, do not import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.contract import Column, Table
from data.readers import Sheet
from data.schema import CONTRACT


@dataclass(frozen=True)
class RawTable:
    """All rows of one contract table in a batch, possibly from several files or sheets.

    ``origin[i]`` indexes ``origins`` (file, sheet) and ``rows[i]`` is the Excel row number.
    """

    table: Table
    frame: pd.DataFrame
    rows: np.ndarray
    origin: np.ndarray
    origins: tuple[tuple[str, str | None], ...]

    @classmethod
    def combine(cls, sheets: Sequence[Sheet]) -> RawTable:
        """Stack the sheets of one table (in the given order)."""
        table = sheets[0].table
        frames = [s.frame for s in sheets]
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        rows = np.concatenate([s.rows for s in sheets]) if sheets else np.zeros(0, np.int64)
        origin = np.concatenate([np.full(len(s.frame), i, dtype=np.int32) for i, s in enumerate(sheets)])
        return cls(table, frame, rows, origin, tuple((s.file, s.sheet) for s in sheets))


@dataclass
class References:
    """The codes other tables may refer to: those in the database, updated by the batch."""

    dept_types: dict[str, str] = field(default_factory=dict)
    item_codes: set[str] = field(default_factory=set)
    nl_codes: set[str] = field(default_factory=set)
    nl_versions: set[str] = field(default_factory=set)
    nl_dates: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"version": [], "nl_code": [], "effective_date": []})
    )

    @classmethod
    def load(cls, conn: Connection) -> References:
        """The referable codes currently in the database (small tables only)."""
        dep = CONTRACT["departments"]
        items = CONTRACT["service_items"]
        nl = CONTRACT["negative_list"]
        dept_types = {code: kind for code, kind in conn.execute(select(dep.c.dept_code, dep.c.dept_type))}
        item_codes = {code for (code,) in conn.execute(select(items.c.item_code))}
        nl_rows = conn.execute(select(nl.c.version, nl.c.nl_code, nl.c.effective_date)).all()
        nl_dates = pd.DataFrame(
            {
                "version": [r[0] for r in nl_rows],
                "nl_code": [r[1] for r in nl_rows],
                "effective_date": pd.to_datetime([r[2] for r in nl_rows]),
            }
        )
        return cls(
            dept_types, item_codes, set(nl_dates["nl_code"]), set(nl_dates["version"]), nl_dates
        )

    def add(self, table: Table, frame: pd.DataFrame) -> None:
        """Make the batch's own rows of ``table`` referable."""
        if table.id == "departments":
            ok = frame["dept_code"].notna()
            types = frame["dept_type"].astype(object).where(frame["dept_type"].notna(), "")
            self.dept_types.update(zip(frame["dept_code"][ok], types[ok], strict=True))
        elif table.id == "service_items":
            self.item_codes.update(frame["item_code"].dropna())
        elif table.id == "negative_list":
            self.nl_codes.update(frame["nl_code"].dropna())
            self.nl_versions.update(frame["version"].dropna())

    def exists(self, col: Column, values: pd.Series) -> np.ndarray:
        """Which values of a referring column exist in the table it refers to."""
        if col.ref == "departments":
            known: set[str] | dict[str, str] = self.dept_types
        elif col.ref == "service_items":
            known = self.item_codes
        elif col.ref == "negative_list":
            known = self.nl_versions if col.id == "version" else self.nl_codes
        else:
            raise ValueError(f"unknown reference {col.ref!r}")
        return values.isin(list(known)).to_numpy()  # type: ignore[no-any-return]
