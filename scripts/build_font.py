"""Build the dashboard's self-hosted CJK web font (run by developers, output committed).

Subsets Noto Sans CJK SC (SIL Open Font License 1.1, from Debian's fonts-noto-cjk) to
ASCII, CJK punctuation, full-width forms and the 6,763 characters of GB 2312, and writes
WOFF2 files to dashboard/static/.  Characters outside the subset fall back to the next
fonts of the theme's font stack.

    apt-get install fonts-noto-cjk && pip install fonttools brotli
    python scripts/build_font.py
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SRC = Path("/usr/share/fonts/opentype/noto")
OUT = Path(__file__).resolve().parent.parent / "dashboard" / "static"


def gb2312_chars() -> str:
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes([hi, lo]).decode("gb2312"))
    return "".join(chars)


def text_to_keep() -> str:
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    punct = "".join(chr(c) for c in range(0x3000, 0x3040)) + "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    extra = "·—–‘’“”…‰′″※℃№←↑→↓√∞≤≥①②③④⑤⑥⑦⑧⑨⑩■□▲△●○◆◇★☆"
    return ascii_ + punct + extra + gb2312_chars()


def build(weight: str, ttc_name: str) -> Path:
    coll = TTCollection(str(SRC / ttc_name))
    font = next(f for f in coll.fonts if "SC" in f["name"].getDebugName(1))
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=text_to_keep())
    sub.subset(font)
    out = OUT / f"NotoSansSC-{weight}.woff2"
    font.flavor = "woff2"
    font.save(str(out))
    return out


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for w, f in (("Regular", "NotoSansCJK-Regular.ttc"), ("Bold", "NotoSansCJK-Bold.ttc")):
        p = build(w, f)
        print(p, p.stat().st_size // 1024, "KiB")
