"""A CSV file read in chunks of whole records, so that an import of any size holds one chunk.

:func:`scan` makes one pass over the bytes (SHA-256, encoding), :func:`utf8_blocks` then
yields the file as UTF-8 blocks (BOM dropped, GB18030 transcoded incrementally) and
:func:`record_chunks` cuts them into chunks of about ``rows`` lines, only where a line break
ends a record (an even number of quote characters before it), so a value spanning lines
is never split.  :func:`parse_records` parses one chunk, with the header line in front, into
positional string columns exactly as a whole file is parsed (:func:`csv_frame`).

The encoding rule is the whole file's, as before chunking: UTF-8 (with or without BOM) when
every byte decodes strictly, else GB18030 (a superset of GBK and GB2312).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

BLOCK = 1 << 24
"""Bytes read from the file at a time."""
CHUNK_ROWS = 250_000
"""Records per chunk by default: a few hundred MB of working memory for the widest table."""
BOM = b"\xef\xbb\xbf"

Opener = Callable[[], BinaryIO]
"""Opens the file's bytes from the start (a path or an uploaded file held in memory)."""


@dataclass(frozen=True)
class Scan:
    """What one pass over a CSV file's bytes found."""

    sha256: str
    size: int
    encoding: str | None
    """utf-8, utf-8-sig or gb18030; ``None`` when neither decodes the file."""


def scan(opener: Opener) -> Scan:
    """SHA-256, size and encoding of the file, reading it once in blocks (twice when it is not UTF-8)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8, size, first = True, 0, b""
    with opener() as fh:
        while block := fh.read(BLOCK):
            if not size:
                first = block[:3]
            size += len(block)
            digest.update(block)
            if is_utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    is_utf8 = False
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if is_utf8:
        encoding: str | None = "utf-8-sig" if first == BOM else "utf-8"
    else:  # a file with a UTF-8 BOM must be UTF-8
        encoding = "gb18030" if first != BOM and _decodes_as_gb(opener) else None
    return Scan(digest.hexdigest(), size, encoding)


def _decodes_as_gb(opener: Opener) -> bool:
    """Whether the whole file decodes as GB18030 (a second pass, only for files not in UTF-8)."""
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        with opener() as fh:
            while block := fh.read(BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def utf8_blocks(opener: Opener, encoding: str) -> Iterator[bytes]:
    """The file as UTF-8 blocks, without BOM."""
    decoder = codecs.getincrementaldecoder("gb18030")() if encoding == "gb18030" else None
    with opener() as fh:
        first = True
        while block := fh.read(BLOCK):
            if first and encoding == "utf-8-sig":
                block = block[len(BOM):]
            first = False
            yield block if decoder is None else decoder.decode(block).encode("utf-8")
        if decoder is not None:
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail.encode("utf-8")


def utf8_head(opener: Opener, encoding: str, limit: int = 1 << 20) -> bytes:
    """The first ``limit`` (or more) UTF-8 bytes of the file."""
    parts: list[bytes] = []
    size = 0
    for block in utf8_blocks(opener, encoding):
        parts.append(block)
        size += len(block)
        if size >= limit:
            break
    return b"".join(parts)


def record_end(data: bytes, start: int) -> int:
    """Where the record starting at ``start`` ends (after its line break), or ``len(data)``."""
    quotes = 0
    pos = start
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            return len(data)
        quotes += data.count(b'"', pos, nl)
        pos = nl + 1
        if quotes % 2 == 0:
            return pos


def _line_end(data: bytes, start: int, k: int) -> int:
    """The position just after the ``k``-th line break at or after ``start`` (which must exist)."""
    lines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, offset=start) == 10)
    return start + int(lines[k - 1]) + 1


def record_chunks(blocks: Iterator[bytes], rows: int) -> Iterator[tuple[bytes, bool]]:
    """``blocks`` regrouped into chunks of whole records of at least ``rows`` lines (more only when a
    value spans the cut); the flag marks the last chunk (which may be empty)."""
    pending = b""
    lines = 0  # line breaks in pending
    for block in blocks:
        seen = len(pending)  # line breaks before this offset are counted in ``lines`` already
        before = lines
        pending += block
        lines += block.count(b"\n")
        while lines > rows:  # a cut with data after it
            # the rows-th line break: in the new part unless the previous cut left enough lines
            cut = _line_end(pending, 0, rows) if before >= rows else _line_end(pending, seen, rows - before)
            taken = rows
            quoted = pending.find(b'"', 0, cut) >= 0  # fast: most exports quote nothing
            while quoted and pending.count(b'"', 0, cut) % 2:  # inside a quoted value: the record goes on
                nxt = pending.find(b"\n", cut)
                if nxt < 0:
                    break
                cut, taken = nxt + 1, taken + 1
            else:
                yield pending[:cut], False
                pending = pending[cut:]
                lines -= taken
                seen, before = 0, lines
                continue
            break  # the record's end is not read yet
    yield pending, True


# --- parsing --------------------------------------------------------------------------------

def line_count(data: bytes) -> int:
    """Lines up to the last non-empty one (trailing line breaks do not count)."""
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    return data.count(b"\n", 0, end) + 1 if end else 0


def csv_frame(utf8: bytes) -> pd.DataFrame:
    """All records of a UTF-8 CSV (header included) as positional string columns.

    The fast path is Arrow's multi-threaded reader.  It skips blank lines, which would shift
    row numbers, so its result is used only when every line is one record; files with blank
    lines, values spanning lines or rows of uneven length go through pandas' reader, which
    keeps every record in place.
    """
    header = next(csv.reader(io.StringIO(utf8[:65536].decode("utf-8", "ignore"))), [])
    width = len(header)
    if width:
        names = [f"f{i}" for i in range(width)]
        try:
            table = pacsv.read_csv(
                io.BytesIO(utf8),
                read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, ValueError):
            table = None
        if table is not None and table.num_rows == line_count(utf8):
            frame = table.to_pandas()
            frame.columns = range(width)
            return frame.astype("str")
    frame = pd.read_csv(
        io.BytesIO(utf8), header=None, dtype=str, keep_default_na=False, na_filter=False,
        skip_blank_lines=False, encoding="utf-8", engine="c",
    )
    frame.columns = range(frame.shape[1])
    return frame


def parse_records(header: bytes, chunk: bytes) -> pd.DataFrame:
    """The records of ``chunk`` as positional string columns, parsed with the ``header`` line in front
    (so a chunk is read exactly as the same rows of a whole file would be); the header row is dropped."""
    if not header.endswith(b"\n"):
        header += b"\n"
    frame = csv_frame(header + chunk)
    return frame.iloc[1:].reset_index(drop=True)
