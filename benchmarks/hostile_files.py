"""Hostile import files for the upload benchmark (issue 19), written to disk member by member
so that building them needs little memory: each is a file the upload guard
(:mod:`data.upload_guard`) must refuse, small on disk but costly if it were read naively.

- ``zip_bomb``: a valid 部门 workbook with a 512 MiB member of zeros (about 0.5 MB on disk);
- ``shared_string``: one 1 GiB shared string in a workbook of a few MB;
- ``near_limit``: a 部门 CSV just under the file-size limit holding more lines than the row limit;
- ``wide``: a workbook whose header row has 16,384 columns (Excel's maximum).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from data.upload_limits import MB, Limits

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
       '</Types>')
_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
         f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
             '<sheet name="departments" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_HEADER = ("dept_code", "dept_name", "dept_type")
_ROW = ("D1", "区住房城乡建设局", "区直部门")


def _letters(n: int) -> str:
    """Excel's column letters of the 1-based column ``n`` (1 → A, 16384 → XFD)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _cells(row: int, values: Iterable[str]) -> str:
    return "".join(f'<c r="{_letters(i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values, 1))


def _workbook(path: Path, header: Iterable[str] = _HEADER, *, shared: Iterable[str] = (),
              extra: dict[str, Iterable[bytes]] | None = None, level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS)):
            zf.writestr(name, text)
        sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
                 f'<row r="1">{_cells(1, header)}</row><row r="2">{_cells(2, _ROW)}</row></sheetData></worksheet>')
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'.encode())
            for piece in shared:
                fh.write(piece.encode())
            fh.write(b"</sst>")
        for name, blobs in (extra or {}).items():
            with zf.open(name, "w", force_zip64=True) as fh:
                for blob in blobs:
                    fh.write(blob)
    return path


def zip_bomb(folder: Path) -> Path:
    zeros = (b"\0" * (4 * MB) for _ in range(128))  # 512 MiB
    return _workbook(folder / "部门_压缩炸弹.xlsx", extra={"xl/media/image1.bin": zeros}, level=1)


def shared_string(folder: Path) -> Path:
    chunk = "A" * (4 * MB)
    return _workbook(folder / "部门_超长共享字符串.xlsx", shared=["<si><t>", *(chunk for _ in range(256)), "</t></si>"],
                     level=1)


def near_limit(folder: Path, limits: Limits | None = None) -> Path:
    """A CSV of ``file_mb - 1`` MiB: a header and short valid lines, far more than the row limit."""
    limits = limits or Limits.from_env()
    path = folder / "部门_接近大小上限.csv"
    target = (limits.file_mb - 1) * MB
    line = ",".join(_ROW).encode() + b"\n"
    block = line * (MB // len(line))
    with path.open("wb") as fh:
        fh.write(",".join(_HEADER).encode() + b"\n")
        while fh.tell() + len(block) <= target:
            fh.write(block)
    return path


def wide(folder: Path) -> Path:
    header = [*_HEADER, *(f"列{i}" for i in range(4, 16_385))]
    return _workbook(folder / "部门_16384列.xlsx", header)


BUILDERS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "zip_bomb": ("压缩炸弹 xlsx（512 MB 的零）", zip_bomb),
    "shared_string": ("1 GB 共享字符串 xlsx", shared_string),
    "near_limit": ("接近大小上限的 CSV", near_limit),
    "wide": ("16,384 列 xlsx", wide),
}
