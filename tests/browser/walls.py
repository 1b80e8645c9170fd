"""The red-team suite's tools: what a unit must never receive, built from the database, and a
scanner for everything the browser got — page text, every websocket frame, every download.

:class:`Forbidden` lists, for one unit, the other units' department codes and names, the
record ids of their records (办件编号, 线索编号, 事项编码), the market entities only they
deal with (统一社会信用代码 and names) and their rectification tasks' titles.  Streets are
left out of the unit lists: every user filters its own records by street, so street names
are the filter's geography, not another unit's records (a street's *records* are checked).
Static explanatory text of the catalogue that names a unit (the convener 区发展改革局 in
"…区发展改革局视情况予以通报") is not a leak, nor is a unit's own record that mentions
another unit (a case summary: "…通过区发展改革局门户网站…反映"): both are taken out of a
text before scanning.

Matching is by one trie-shaped regular expression per category, so thousands of ids are
found in megabytes of frames (Arrow buffers hold strings back to back) in one pass.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

CATALOGUE = Path(__file__).resolve().parents[2] / "dashboard" / "catalogue"
STREET = "街道"


def trie_regex(terms: set[str]) -> re.Pattern[str] | None:
    """One regular expression matching any of ``terms`` (a character trie, longest first)."""
    if not terms:
        return None
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return re.compile(emit(trie))


def _static_phrases(names: set[str]) -> list[str]:
    """Fixed parts of catalogue labels that name one of ``names`` (explanatory text)."""
    phrases: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, str):
            phrases.extend(seg for seg in re.split(r"\{[^}]*\}", value) if any(n in seg for n in names))

    for path in sorted(CATALOGUE.glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return sorted(phrases, key=len, reverse=True)


def _mentions(texts: list[str], names: set[str], margin: int = 6) -> list[str]:
    """The words around each mention of one of ``names`` in the unit's own free text (a case
    summary saying a complaint came through 区发展改革局's website is the unit's own record)."""
    phrases = set()
    for content in texts:
        for name in names:
            start = content.find(name)
            while start >= 0:
                phrases.add(content[max(0, start - margin):start + len(name) + margin])
                start = content.find(name, start + 1)
    return sorted(phrases, key=len, reverse=True)


@dataclass
class Forbidden:
    """What ``unit`` must not receive, by category (see the module docstring)."""

    unit: str
    terms: dict[str, set[str]]
    static: list[str]
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.patterns = {k: p for k, v in self.terms.items() if (p := trie_regex(v)) is not None}
        if "部门编码" in self.patterns:  # a code, not the start of a longer number (JH0091…)
            self.patterns["部门编码"] = re.compile(self.patterns["部门编码"].pattern + r"(?!\d)")

    @classmethod
    def of(cls, db_url: str, unit: str) -> Forbidden:
        eng = create_engine(db_url)
        with eng.connect() as c:
            def rows(sql: str) -> list[tuple]:
                return [tuple(r) for r in c.execute(text(sql), {"u": unit})]

            units = rows("select dept_code, dept_name, dept_type from departments")
            apps = rows("select a.app_id, coalesce(a.dept_code, i.dept_code), a.item_code, a.entity_id "
                        "from applications a join service_items i on i.item_code = a.item_code")
            items = rows("select item_code, dept_code from service_items")
            cases = rows("select case_id, dept_code from cases")
            ratings = rows("select entity_id, entity_name, dept_code from credit_ratings")
            tasks = rows("select title, dept_code from rectification_tasks")
            own_texts = [t for r in rows("select summary, rectify_tasks, responsible_person from cases "
                                         "where dept_code = :u") for t in r if t]
        eng.dispose()
        others = {code for code, _, kind in units if code != unit and kind != STREET}
        own_items = {item for _, dept, item, _ in apps if dept == unit} | {i for i, d in items if d == unit}
        own_entities = {e for _, dept, _, e in apps if dept == unit and e} | {e for e, _, d in ratings if d == unit}
        own_names = {n for _, n, d in ratings if d == unit and n}
        names = {name for code, name, _ in units if code in others}
        terms = {
            "部门编码": others,
            "部门名称": names,
            "办件编号": {a for a, dept, _, _ in apps if dept != unit},
            "线索编号": {case for case, dept in cases if dept != unit},
            "事项编码": {i for i, d in items if d != unit and i not in own_items},
            "主体代码": ({e for _, dept, _, e in apps if dept != unit and e} | {e for e, _, d in ratings if d != unit})
            - own_entities,
            "主体名称": {n for _, n, d in ratings if d != unit and n} - own_names,
            "整改任务": {title for title, d in tasks if d != unit},
        }
        return cls(unit, terms, _static_phrases(names) + _mentions(own_texts, names))

    def find(self, content: str, sent: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
        """(category, term, context) of every forbidden term in ``content`` (static text taken
        out; ``sent``: what the browser itself sent, e.g. a hostile link's values echoed back)."""
        for phrase in self.static:
            content = content.replace(phrase, " ")
        found: list[tuple[str, str, str]] = []
        for category, pattern in self.patterns.items():
            found.extend((category, m.group(0), content[max(0, m.start() - 40):m.end() + 40])
                         for m in pattern.finditer(content) if m.group(0) not in sent)
        return found


def file_text(name: str, data: bytes) -> str:
    """The text of a downloaded file: CSV as text, the XML of an XLSX/PPTX without tags, a PDF's text."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".pptx", ".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        return re.sub(r"<[^>]+>", "\n", xml)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig", "replace")


@dataclass
class Scan:
    """Findings and figures of one account's run."""

    forbidden: Forbidden
    findings: list[tuple[str, str, str, str]] = field(default_factory=list)  # (where, category, term, context)
    figures: Counter[str] = field(default_factory=Counter)

    def check(self, where: str, content: str, kind: str, sent: frozenset[str] = frozenset()) -> None:
        self.figures[kind] += 1
        self.figures[f"{kind}_chars"] += len(content)
        self.findings.extend((where, c, term, ctx) for c, term, ctx in self.forbidden.find(content, sent))

    def frames(self, where: str, payloads: list[bytes | str], sent: frozenset[str] = frozenset()) -> None:
        for payload in payloads:
            body = payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")
            self.check(where, body, "frames", sent)
        payloads.clear()

    def by_category(self) -> Counter[str]:
        return Counter(f[1] for f in self.findings)

    def report(self, limit: int = 30) -> str:
        """The distinct findings (where, category, term, context), at most ``limit``."""
        seen: dict[tuple[str, str, str], str] = {}
        for where, c, term, ctx in self.findings:
            seen.setdefault((where.split("?")[0], c, term), ctx)
        return "\n".join(f"{w} {c} {term}: …{ctx!r}…" for (w, c, term), ctx in list(seen.items())[:limit])

    def summary(self) -> str:
        f = self.figures
        return (f"{self.forbidden.unit}: {f['pages']} page views ({f['links']} hostile links), "
                f"{f['downloads']} downloads ({f['downloads_chars']:,} chars), {f['frames']} websocket frames "
                f"({f['frames_chars']:,} chars); findings {dict(self.by_category())}")
