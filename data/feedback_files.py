"""Attachments of a public feedback: type sniffed from the content, size limited, stored
under the data directory (never a served folder) with random names.

The name a browser sends is kept only as metadata; whether a file is a PDF, PNG, JPEG or
Word (DOCX) document is decided from its magic bytes (the ``filetype`` library), and a DOCX
must also be a readable ZIP holding ``word/document.xml``.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", DOCX: "Word（DOCX）"}
ALLOWED_TEXT = "、".join(ALLOWED.values())


class AttachmentError(ValueError):
    """A refused attachment; ``str(err)`` is a Chinese message naming the file."""


@dataclass(frozen=True)
class Attachment:
    """A checked attachment, not yet stored."""

    original_name: str
    mime: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check(name: str, content: bytes) -> Attachment:
    """The attachment if its content is an allowed type within the size limit."""
    shown = os.path.basename(name.replace("\\", "/"))[:200] or "（未命名）"
    if not content:
        raise AttachmentError(f"附件“{shown}”是空文件。")
    if len(content) > MAX_BYTES:
        raise AttachmentError(f"附件“{shown}”超过 {MAX_BYTES // (1024 * 1024)} MB。")
    kind = filetype.guess(content)
    mime = kind.mime if kind is not None else None
    if mime == "application/zip" and _is_docx(content):
        mime = DOCX
    if mime == DOCX and not _is_docx(content):
        mime = None
    if mime not in ALLOWED:
        raise AttachmentError(f"附件“{shown}”的内容不是允许的类型（只接受 {ALLOWED_TEXT}），与文件名无关。")
    return Attachment(shown, mime, content)


def store(directory: Path, attachment: Attachment) -> str:
    """Write the attachment under ``directory`` with a random name; returns that name."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16)
    path = directory / stored
    with open(path, "xb") as fh:
        fh.write(attachment.content)
    os.chmod(path, 0o600)
    return stored


def remove(directory: Path, stored_names: list[str]) -> None:
    """Delete stored files again (when the transaction that recorded them failed)."""
    for name in stored_names:
        (directory / name).unlink(missing_ok=True)
