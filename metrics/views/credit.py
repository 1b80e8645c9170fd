"""信用分类 (credit): the A–D distribution per supervising department, the movements between
classes, and the high-risk (C or D) share month by month.

"Latest rating" is the one of :func:`metrics.supervision.latest_ratings` (per entity and
department, dated ≤ as_of), the same as credit_entities and high_risk_share use.  A
*movement* is a pair of consecutive ratings of the same entity by the same department; it
happens on the later rating's date.  A move towards A (lower risk) is an 升级, towards D a
降级.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from metrics import supervision
from metrics.populations import Scope, Window
from metrics.series import months
from metrics.supervision import HIGH_RISK, latest_ratings

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

GRADES: tuple[str, ...] = ("A", "B", "C", "D")
RANK = {g: i for i, g in enumerate(GRADES)}
UP, DOWN, SAME = "升级", "降级", "不变"


def _ratings(engine: MetricsEngine, dept: str | None) -> pd.DataFrame:
    r = engine.data.frames.credit_ratings
    if dept is not None:
        r = r[(r["dept_code"] == dept).fillna(False)]
    return r[r["grade"].isin(GRADES).fillna(False)]


def grade_distribution(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """Per supervising department and grade: entities whose latest rating at ``as_of`` has that
    grade, and the share of the department's rated entities (every grade listed, zeros too)."""
    latest = latest_ratings(_ratings(engine, None), pd.Timestamp(as_of), by_dept=True)
    counts = latest.groupby(["dept_code", "grade"], observed=True).size()
    rows = []
    for code in sorted({str(c) for c in latest["dept_code"].dropna()}):
        total = int(sum(int(counts.get((code, g), 0)) for g in GRADES))
        for g in GRADES:
            n = int(counts.get((code, g), 0))
            rows.append({"dept_code": code, "dept_name": engine.data.dept_names.get(code, code),
                         "grade": g, "cr_entities": n, "cr_share": n / total if total else None})
    return pd.DataFrame(rows, columns=["dept_code", "dept_name", "grade", "cr_entities", "cr_share"])


def district_distribution(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """The district's grades: each entity's latest rating by any department (as credit_entities)."""
    latest = latest_ratings(_ratings(engine, None), pd.Timestamp(as_of), by_dept=False)
    total = len(latest)
    rows = [{"grade": g, "cr_entities": int((latest["grade"] == g).sum()),
             "cr_share": float((latest["grade"] == g).sum()) / total if total else None} for g in GRADES]
    return pd.DataFrame(rows, columns=["grade", "cr_entities", "cr_share"])


def movements(engine: MetricsEngine, date_from: dt.date, date_to: dt.date, dept: str | None = None,
              from_grade: str | None = None, to_grade: str | None = None) -> pd.DataFrame:
    """Consecutive ratings of the same entity and department whose later rating is dated in
    ``[date_from, date_to]``, optionally only those from ``from_grade`` to ``to_grade``."""
    r = _ratings(engine, dept).sort_values(["entity_id", "dept_code", "rated_date"], kind="stable")
    r = r.drop_duplicates(["entity_id", "dept_code", "rated_date"], keep="last")
    same = (r["entity_id"].shift() == r["entity_id"]) & (r["dept_code"].shift() == r["dept_code"])
    moves = pd.DataFrame({
        "entity_id": r["entity_id"], "entity_name": r["entity_name"], "dept_code": r["dept_code"],
        "cr_from_grade": r["grade"].shift(), "cr_from_date": r["rated_date"].shift(),
        "cr_to_grade": r["grade"], "cr_to_date": r["rated_date"],
    })[same.fillna(False).to_numpy(dtype=bool)]
    when = (moves["cr_to_date"] >= pd.Timestamp(date_from)) & (moves["cr_to_date"] <= pd.Timestamp(date_to))
    moves = moves[when]
    if from_grade is not None:
        moves = moves[moves["cr_from_grade"] == from_grade]
    if to_grade is not None:
        moves = moves[moves["cr_to_grade"] == to_grade]
    step = moves["cr_to_grade"].map(RANK).astype(int) - moves["cr_from_grade"].map(RANK).astype(int)
    moves = moves.assign(
        dept_name=[engine.data.dept_names.get(str(c), str(c)) for c in moves["dept_code"]],
        cr_direction=[UP if s < 0 else DOWN if s > 0 else SAME for s in step],
    )
    cols = ["entity_id", "entity_name", "dept_code", "dept_name", "cr_from_grade", "cr_from_date", "cr_to_grade",
            "cr_to_date", "cr_direction"]
    return moves.loc[:, cols].sort_values(["cr_to_date", "dept_code", "entity_id"], kind="stable").reset_index(drop=True)


def transition_matrix(engine: MetricsEngine, date_from: dt.date, date_to: dt.date,
                      dept: str | None = None) -> pd.DataFrame:
    """Counts of movements from each grade to each grade in the period (all 16 pairs)."""
    moves = movements(engine, date_from, date_to, dept)
    counts = moves.groupby(["cr_from_grade", "cr_to_grade"], observed=True).size()
    rows = []
    for a in GRADES:
        total = int(sum(int(counts.get((a, b), 0)) for b in GRADES))
        for b in GRADES:
            n = int(counts.get((a, b), 0))
            rows.append({"cr_from_grade": a, "cr_to_grade": b, "cr_moves": n, "cr_share": n / total if total else None})
    return pd.DataFrame(rows, columns=["cr_from_grade", "cr_to_grade", "cr_moves", "cr_share"])


def monthly_movements(engine: MetricsEngine, date_from: dt.date, date_to: dt.date,
                      dept: str | None = None) -> pd.DataFrame:
    """Per month: upgrades, downgrades and unchanged re-ratings, and first ratings of an entity."""
    moves = movements(engine, date_from, date_to, dept)
    r = _ratings(engine, dept)
    firsts = r.sort_values("rated_date", kind="stable").drop_duplicates(["entity_id", "dept_code"])
    rows = []
    for first, last in months(date_from, date_to):
        lo, hi = pd.Timestamp(first), pd.Timestamp(last)
        m = moves[(moves["cr_to_date"] >= lo) & (moves["cr_to_date"] <= hi)]
        rows.append({
            "month": first.strftime("%Y-%m"),
            "cr_upgrades": int((m["cr_direction"] == UP).sum()),
            "cr_downgrades": int((m["cr_direction"] == DOWN).sum()),
            "cr_unchanged": int((m["cr_direction"] == SAME).sum()),
            "cr_first_ratings": int(((firsts["rated_date"] >= lo) & (firsts["rated_date"] <= hi)).sum()),
        })
    return pd.DataFrame(rows, columns=["month", "cr_upgrades", "cr_downgrades", "cr_unchanged", "cr_first_ratings"])


def high_risk_trend(engine: MetricsEngine, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """high_risk_share at each month's last day (clipped to ``date_to``), for the district
    (``dept_code`` empty) and every department that has a rating by then: the indicator's
    own population and numerator (:data:`metrics.supervision.RULES`), counted."""
    rule = supervision.RULES["high_risk_share"]
    assert rule.qualifying is not None and rule.dept_population is not None
    dept_codes = engine.data.frames.credit_ratings["dept_code"]
    rows = []
    for first, last in months(date_from, date_to):
        scope = Scope(engine.data, Window(first, last, last))
        month = first.strftime("%Y-%m")
        overall = rule.population(scope)
        high = rule.qualifying(scope)
        if overall.any():
            rows.append({"month": month, "dept_code": "", "dept_name": "全区",
                         "cr_entities": int(overall.sum()), "cr_high_risk": int((overall & high).sum())})
        per = rule.dept_population(scope)
        counted = pd.DataFrame({"dept_code": dept_codes[per].to_numpy(), "high": high[per]})
        for code, grp in counted.groupby("dept_code", observed=True, sort=True):
            rows.append({"month": month, "dept_code": str(code),
                         "dept_name": engine.data.dept_names.get(str(code), str(code)),
                         "cr_entities": len(grp), "cr_high_risk": int(grp["high"].sum())})
    out = pd.DataFrame(rows, columns=["month", "dept_code", "dept_name", "cr_entities", "cr_high_risk"])
    out["cr_share"] = out["cr_high_risk"] / out["cr_entities"]
    return out


def grade_table(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """:func:`grade_distribution` one row per department: entities per grade (``cr_grade_A`` …),
    rated entities and the high-risk share, highest share first."""
    dist = grade_distribution(engine, as_of)
    rows = []
    for code, grp in dist.groupby("dept_code", sort=True):
        by = dict(zip(grp["grade"], grp["cr_entities"], strict=True))
        total = int(sum(by.values()))
        row: dict[str, object] = {"dept_code": code, "dept_name": grp["dept_name"].iloc[0]}
        row.update({f"cr_grade_{g}": int(by.get(g, 0)) for g in GRADES})
        row["cr_entities"] = total
        row["cr_high_share"] = sum(int(by.get(g, 0)) for g in HIGH_RISK) / total if total else None
        rows.append(row)
    cols = ["dept_code", "dept_name", *[f"cr_grade_{g}" for g in GRADES], "cr_entities", "cr_high_share"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["cr_high_share", "dept_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
