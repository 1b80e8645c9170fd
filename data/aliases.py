"""Column aliases of real exports (``data/aliases.toml``), loaded and checked once.

The contract names each column by id and Chinese name; departments' platforms export
other headers for the same thing (申请人统一社会信用代码, 办结日期, 承诺时限(工作日)...).  Those
are kept as data beside the contract, not in code.  :func:`load_aliases` refuses a file
in which an alias names a column the table does not have, or one header would name two
columns of one table, so a header always means exactly one column.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from data import contract

ALIASES_FILE = Path(__file__).resolve().parent / "aliases.toml"


class AliasError(ValueError):
    """The aliases file breaks a rule (unknown table or column, one header for two columns)."""


def normalize_name(name: object) -> str:
    """A header or table name as compared: NFKC (full-width → half-width), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def parse_aliases(text: str, source: str = "aliases.toml") -> dict[str, dict[str, str]]:
    """Table id → {normalised alias: column id}, checked against the contract."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise AliasError(f"{source}: {err}") from err
    out: dict[str, dict[str, str]] = {}
    for table_id, columns in data.items():
        table = contract.TABLES_BY_ID.get(table_id)
        if table is None:
            raise AliasError(f"{source}: [{table_id}] is not a contract table")
        if not isinstance(columns, dict):
            raise AliasError(f"{source}: [{table_id}] must be a table of column = [aliases]")
        names = {normalize_name(n): c.id for c in table.columns for n in (c.id, c.zh)}
        lookup: dict[str, str] = {}
        for column_id, aliases in columns.items():
            if column_id not in table.column_ids:
                raise AliasError(f"{source}: {table_id}.{column_id} is not a column of {table_id}")
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise AliasError(f"{source}: {table_id}.{column_id} must be a list of non-empty strings")
            for alias in aliases:
                norm = normalize_name(alias)
                owner = names.get(norm) or lookup.get(norm)
                if owner is not None and owner != column_id:
                    raise AliasError(
                        f"{source}: alias {alias!r} of {table_id}.{column_id} already names {table_id}.{owner}"
                    )
                if names.get(norm) != column_id:
                    lookup[norm] = column_id
        out[table_id] = lookup
    return out


@cache
def load_aliases(path: Path = ALIASES_FILE) -> dict[str, dict[str, str]]:
    """The checked aliases of ``path`` (cached: the file ships with the code)."""
    return parse_aliases(path.read_text(encoding="utf-8"), path.name)


@cache
def column_names(table_id: str) -> dict[str, str]:
    """Every header that names a column of the table: id, Chinese name or alias → column id."""
    table = contract.TABLES_BY_ID[table_id]
    names = dict(load_aliases().get(table_id, {}))
    for col in table.columns:
        names[normalize_name(col.id)] = col.id
        names[normalize_name(col.zh)] = col.id
    return names


@cache
def all_names() -> frozenset[str]:
    """Every header that names a column of any table (used to find the header row)."""
    return frozenset(n for t in contract.TABLES for n in column_names(t.id))
