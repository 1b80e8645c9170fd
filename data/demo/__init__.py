"""Realistic, deterministic demo data for 江门高新区（江海区）, written as contract import files.

:func:`generate` builds one DataFrame per contract table (columns = contract ids) and
:func:`write_demo_data` writes them as ``<table_id>.csv`` (UTF-8, Chinese headers = the
contract's ``zh`` names) ready for ``market-access import``.  The same seed gives
byte-identical files; ``scale`` multiplies the applications (about 30,000 a year at 1) and
the cases (about 300 a year at 1).  Nothing else depends on ``scale``.

Period: 2024-11-01 to 2026-10-31, exported at 2026-10-31 23:59:59 (nothing happened later:
applications still running then are 在办, cases carry the status they had then).

Content
-------
- 19 departments ``JH001``–``JH019``: the joint-meeting members of 江海发改〔2025〕54号
  (conveners JH001 区发展改革局 and JH002 区经济促进局; JH003 民政, JH004 市场监管,
  JH005 政务和数据, JH006 工商联 (群团组织), JH007 税务 (垂直管理部门)), the licensing
  departments JH008–JH016 (JH013 生态环境分局 is 垂直管理部门) and the streets JH017 江南街道,
  JH018 外海街道, JH019 礼乐街道.
- Negative list versions ``2022`` (effective 2022-03-28; 6 禁止准入类 + 110 许可准入类) and
  ``2025`` (effective 2025-04-24; 6 + 107): codes ``JZ01``–``JZ06`` and ``XK001``–``XK114``,
  stable across versions; 7 items only in 2022, 4 only in 2025.
- 148 service items (sub-items 新办/变更/延续/注销 share a power code); mapping gaps: three
  行政许可 items without nl_code (JH007 增值税专用发票最高开票限额审批, JH014 不定时工作制审批,
  JH016 拖拉机和联合收割机登记), JH008 饮用水供水单位卫生许可 and JH016 拖拉机登记 without
  power_code, JH010 出版物零售业务经营许可 without license_code; most list items have no
  district service item (national-level matters).
- Applications on working days in office hours (online also evenings and, rarely, weekends;
  almost none in the Spring Festival and National Day holidays), online share rising over
  time, statuses, milestones in order, suspended days, visits, ratings 1–5, applicants with
  valid unified social credit codes (``91440704…``; about 20% of the coded applications by
  firms registered outside 江门 — 广州, 深圳, 佛山, 中山, 东莞, … and other provinces — more
  on construction, transport and manufacturing items, none on 个体工商户 items).
- Cases from every source with statuses consistent with the contract; disclosures of both
  list versions and of service guides; A–D credit classes of 3,000 entities by seven
  supervising departments; provincial scores for 2025H1, 2025H2 and 2026H1.

Planted weak links (:mod:`data.demo.planted`)
---------------------------------------------
1. JH009 区住房城乡建设局: on 70% of its applications 审查 (reviewed_at − accepted_at) takes
   4–20 extra working days (0–3 on the rest; it has no 即办件): median 审查 about 310 hours
   against under 1.5 hours for most departments and under 80 for every other one; on-time
   rate about 0.25 against 0.95+ elsewhere, and most of its open applications overdue.
2. JH019 礼乐街道: applications located in it (street_code JH019) or accepted by it
   (dept_code JH019) are mostly 窗口办理: online rate about 0.2 against about 0.8 for the
   other streets (0.57–0.84 for the departments). It also published the 2025 list about
   five weeks late.
3. JH010 区文化广电旅游体育局: six cases (2025-03 to 2026-07; sources 市级转办, 经营主体反映,
   行政执法, 省级转办, 互联网+督查, 国家部委转办) verified 属实 with dept_reported 否 — the only
   unreported cases in the data.
4. JH012 区应急管理局: key case received 2026-02-27, verified 属实 2026-03-31,
   rectify_deadline 2026-08-31, status 整改中, no rectified_date — the only overdue key case
   (other key cases: JH009 and JH019 rectified on time, JH004 due 2026-12-31).
5. JH011 区交通运输局: every service guide last updated before 2025-04-24 (guide_update_rate
   0) and no 2025 许可事项办事指南 disclosure.
6. JH014 区人力资源社会保障局: about 85% of its completed applications lack reviewed_at and
   decided_at, and about 85% of its applications lack visits (data_completeness ≈ 0.15
   against ≈ 0.95 elsewhere).
7. Hidden barriers (screening.md; :data:`planted.NONLOCAL_BARRIERS`, :data:`planted.LIFTED_ITEM`):
   JH008 公共场所卫生许可证核发（新办） refuses 45% of 外地 applicants' completed applications;
   JH004 特种设备使用登记（新办） keeps 外地 applicants 3 + Poisson(2) working days longer;
   JH011 道路运输证配发 sends 外地 applicants to the window once or twice more; JH004
   食品经营许可证核发（新办） suspends half of 外地 applicants' non-instant applications; and
   JH010 文物商店设立审批 (行政许可, list basis 文物经营 only in the 2022 list) is still applied
   for after 2025-04-24.  Outsiders and barriers use random streams of their own, so the rest
   is drawn as before (the added item takes a small share of the item draws); ordinary items
   stay quiet (the screen flags exactly these five, for the district and each department).
Also in the data (not planted as such, but the dashboard will show them): JH016 published
the 2025 list only on 门户网站 and JH006, JH018 not on 信用中国; JH007's only 行政许可 item has
no nl_code (mapping_rate 0); 区教育局 and 区农业农村局 have few, slow, complex items.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from data.contract import TABLES, Kind
from data.demo.applications import generate_applications
from data.demo.cases import generate_cases
from data.demo.entities import build_outside_pool, build_pool
from data.demo.others import generate_credit_ratings, generate_disclosures, generate_provincial_scores
from data.demo.reference import departments, negative_list, service_items
from data.demo.timeline import WorkCalendar

__all__ = ["generate", "write_demo_data"]

_calendar: WorkCalendar | None = None


def _cal() -> WorkCalendar:
    global _calendar
    if _calendar is None:
        _calendar = WorkCalendar()
    return _calendar


def generate(seed: int = 2025, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """The demo tables keyed by contract table id, columns named by contract column ids.

    Dates are ISO strings, date-times ``datetime64``, booleans ``bool``; missing = NA/None.
    """
    if not scale > 0:
        raise ValueError("scale must be positive")
    cal = _cal()

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    pool = build_pool(rng(1))
    items, params = service_items(rng(2), cal)
    tables = {
        "departments": departments(),
        "negative_list": negative_list(),
        "service_items": items,
        "applications": generate_applications(rng(3), cal, items, params, pool, scale,
                                              build_outside_pool(rng(8)), rng(9)),
        "cases": generate_cases(rng(4), cal, items, scale),
        "disclosures": generate_disclosures(rng(5), cal, items),
        "credit_ratings": generate_credit_ratings(rng(6), cal, pool),
        "provincial_scores": generate_provincial_scores(rng(7)),
    }
    for table in TABLES:
        tables[table.id] = tables[table.id][table.column_ids]
    return tables


def _for_csv(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table with Chinese headers and every value as the contract writes it."""
    spec = next(t for t in TABLES if t.id == table_id)
    out = {}
    for col in spec.columns:
        s = df[col.id]
        if col.kind is Kind.BOOL:
            s = s.map({True: "是", False: "否"})
        elif col.kind is Kind.NUMBER:
            s = s.map("{:.1f}".format)
        out[col.zh] = s
    return pd.DataFrame(out)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV, header = Chinese names, ``\n`` line ends, date-times ``YYYY-MM-DD HH:MM:SS``.

    pyarrow writes a million rows in about a second; pandas takes over ten.  The demo values
    hold no comma, quote or line break, so neither quotes anything and both give the same
    bytes; should a value ever need quoting, pandas writes the file.
    """
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with path.open("wb") as fh:
            fh.write((",".join(frame.columns) + "\n").encode("utf-8"))
            pa_csv.write_csv(table, fh, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")


def write_demo_data(outdir: Path, seed: int = 2025, scale: float = 1.0) -> dict[str, Path]:
    """Write one ``<table_id>.csv`` per contract table into ``outdir``; the paths by table id."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for table_id, df in generate(seed, scale).items():
        path = outdir / f"{table_id}.csv"
        _write_csv(_for_csv(table_id, df), path)
        paths[table_id] = path
    return paths
