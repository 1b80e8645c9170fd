"""The joint meeting's deck as ONE slide model: frozen dataclasses for a cover, headline
figures with their change, charts, paginated tables and messages, and the :class:`Deck`
that holds them.

:func:`report.deck.build_deck` fills the model from the metrics results; the PowerPoint
writer, the PDF writer and the dashboard's presentation mode all render it, so the three
show the same slides with the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go

from metrics.results import MetricsRequest
from report import layout

ISSUER = "江门高新区（江海区）发展和改革局"
MEETING = "市场准入负面清单制度贯彻落实部门联席会议"
DECK_TITLE = "市场准入效能评估情况汇报"
SELF_CHECK_TITLE = "市场准入效能部门自查报告"
DISTRICT = "全区"
NO_TASKS_DATA = "暂无整改任务数据"
NO_OPEN_TASKS = "当前没有未完成的整改任务。"
DASH = "—"


@dataclass(frozen=True)
class Headline:
    """A headline figure: the value as people read it, its change and a comparison."""

    indicator: str
    name: str
    value: str
    delta: str | None  # "+1.2个百分点", "-0.5", "持平"; None when either value is missing
    tone: str  # good | bad | neutral: whether the change is an improvement
    compare: str  # "上期 93.1%" or "全区 93.1%"


def headline_delta(h: Headline) -> str:
    """The change line of a headline card."""
    return f"较上期 {h.delta}" if h.delta else "较上期 无可比数据"


@dataclass(frozen=True)
class Chart:
    """A dashboard figure to show on a slide; ``weight`` is its share of the slide's width."""

    key: str
    figure: go.Figure = field(compare=False, repr=False)
    weight: float = 1.0


@dataclass(frozen=True)
class Column:
    header: str
    weight: float
    align: str = "left"  # left | center | right
    max_lines: int = 1


@dataclass(frozen=True)
class Table:
    """A table (or one page of it): headers, rows of display text and per-cell tones."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # inches, summing to the body width
    tones: tuple[tuple[str, ...], ...] = ()  # same shape as rows: "" | good | bad
    pt: float = layout.TABLE_PT  # the type size of header and body (every renderer uses it)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def header_pt(self) -> float:
        return layout.header_pt(self.pt)

    def tone(self, row: int, col: int) -> str:
        return self.tones[row][col] if self.tones else ""

    def geometry(self) -> layout.TableGeometry:
        return layout.table_geometry(self.headers, self.rows, self.widths, self.pt)


@dataclass(frozen=True, kw_only=True)
class Slide:
    title: str
    summary: tuple[str, ...] = ()  # short lines under the body (bullets)

    @property
    def kind(self) -> str:
        return type(self).__name__.removesuffix("Slide").lower()


@dataclass(frozen=True, kw_only=True)
class CoverSlide(Slide):
    subtitle: str
    period: str
    issuer: str
    date_line: str


@dataclass(frozen=True, kw_only=True)
class HeadlineSlide(Slide):
    headlines: tuple[Headline, ...]


@dataclass(frozen=True, kw_only=True)
class ChartSlide(Slide):
    charts: tuple[Chart, ...]


@dataclass(frozen=True, kw_only=True)
class TableSlide(Slide):
    table: Table
    page: int = 1
    pages: int = 1
    section: str = ""  # the title without the page counter


@dataclass(frozen=True, kw_only=True)
class MessageSlide(Slide):
    message: str


@dataclass(frozen=True)
class Deck:
    """The slides of one deck, and what it is about."""

    title: str
    subtitle: str
    period_label: str
    issuer: str
    request: MetricsRequest
    dept: str | None
    dept_name: str
    slides: tuple[Slide, ...]
    names: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)  # dept_code -> name

    def __len__(self) -> int:
        return len(self.slides)

    @property
    def footer(self) -> str:
        scope = self.dept_name if self.dept else DISTRICT
        return f"{self.issuer} · {self.period_label} · {scope}"

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for s in self.slides if isinstance(s, ChartSlide) for c in s.charts)

    def file_stem(self) -> str:
        return file_stem(self.request, self.dept, self.dept_name)


def file_stem(request: MetricsRequest, dept: str | None, dept_name: str) -> str:
    """The download name (without suffix) of the deck of ``request`` for ``dept`` (None: the
    joint meeting's), known before the deck is built."""
    scope = dept_name if dept else "联席会议"
    return f"市场准入效能评估_{scope}_{request.date_from:%Y%m%d}-{request.date_to:%Y%m%d}"
