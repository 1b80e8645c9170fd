"""Who sees what: a department user's engine holds that department's records only.

Scoping is enforced here, below the pages: :func:`restrict_frames` keeps a department's own
applications, items, cases, disclosures and credit ratings (and the public negative list and
the names of departments), so no page, parameter, drill-down, download or report built on
the restricted engine can reach another department's records.  District figures a
department sees are the published aggregates only: :func:`with_published_district` puts the
whole district's values, computed on the full data, into the department's result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from data.frames import Frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest, MetricsResult, PeriodValues
from metrics.series import monthly_values


def _application_department(frames: Frames) -> pd.Series:
    """Each application's department: its own dept_code, else its item's (indicators.md)."""
    apps = frames.applications
    item_dept = apps["item_code"].map(frames.service_items.set_index("item_code")["dept_code"])
    return apps["dept_code"].fillna(item_dept)


def restrict_frames(frames: Frames, dept: str) -> Frames:
    """``frames`` with only ``dept``'s own records (see the module docstring)."""
    app_dept = _application_department(frames)
    apps = frames.applications[(app_dept == dept).fillna(False)]
    items = frames.service_items
    # the department's items, plus items its applications were made under (their time limits)
    keep_items = (items["dept_code"] == dept).fillna(False) | items["item_code"].isin(apps["item_code"])
    return replace(
        frames,
        applications=apps.reset_index(drop=True),
        service_items=items[keep_items].reset_index(drop=True),
        cases=frames.cases[(frames.cases["dept_code"] == dept).fillna(False)].reset_index(drop=True),
        disclosures=frames.disclosures[(frames.disclosures["dept_code"] == dept).fillna(False)].reset_index(drop=True),
        credit_ratings=frames.credit_ratings[(frames.credit_ratings["dept_code"] == dept).fillna(False)]
        .reset_index(drop=True),
        provincial_scores=frames.provincial_scores[(frames.provincial_scores["dept_code"] == dept).fillna(False)]
        .reset_index(drop=True),
    )


def with_published_district(own: MetricsResult, published: MetricsResult, dept: str) -> MetricsResult:
    """The department's result (computed on its restricted engine) with the district's
    published values, limited to ``dept`` itself."""
    links = tuple(
        replace(w, district_value=published.district.get(w.indicator))
        for w in own.weak_links if w.dept_code == dept
    )
    return replace(
        own,
        district=published.district,
        previous_district=published.previous_district,
        departments={k: v for k, v in own.departments.items() if k == dept},
        scores={k: v for k, v in own.scores.items() if k == dept},
        previous_departments={k: v for k, v in own.previous_departments.items() if k == dept},
        previous_scores={k: v for k, v in own.previous_scores.items() if k == dept},
        weak_links=links,
    )


def with_published_year_ago(own: PeriodValues, published: PeriodValues, dept: str) -> PeriodValues:
    """同比 for a department: its own values (restricted engine) with the district's
    published values of the same period a year before."""
    return replace(own, district=published.district,
                   departments={k: v for k, v in own.departments.items() if k == dept})


def published_request(request: MetricsRequest) -> MetricsRequest:
    """What a department's district figures are computed for: the published district (the
    whole district's period; a street filter narrows the department's own figures only)."""
    return replace(request, street=None)


def department_result(own: MetricsEngine, request: MetricsRequest, dept: str,
                      published: MetricsResult) -> MetricsResult:
    """What department ``dept`` sees for ``request``: its own figures (``own``, its restricted
    engine) with the district's published figures, ``published``: the full data's result of
    :func:`published_request` of ``request`` (any department filter: its district is used)."""
    return with_published_district(own.compute(replace(request, dept=dept)), published, dept)


def department_year_ago(own: MetricsEngine, request: MetricsRequest, dept: str,
                        published: PeriodValues) -> PeriodValues:
    """同比 for department ``dept``: its own values a year before, with the district's published
    ones, ``published``: the full data's 同比 of ``request`` (its district is used)."""
    return with_published_year_ago(own.year_ago(replace(request, dept=dept)), published, dept)


def scoped_trends(full: MetricsEngine, indicators: tuple[str, ...], date_from: dt.date, date_to: dt.date,
                  street: str | None, scope: str | None) -> pd.DataFrame:
    """Monthly values of ``indicators`` (:func:`metrics.series.monthly_values`) as ``scope``
    may see them: everything for the district; for a department, the district's published
    line (the whole district's, even under a street filter) and its own line, nothing else."""
    table = monthly_values(full, indicators, date_from, date_to, street)
    if scope is None:
        return table
    district = table if street is None else monthly_values(full, indicators, date_from, date_to, None)
    table = pd.concat([district[district["dept_code"].isna()], table[table["dept_code"] == scope]])
    return table.sort_values("month", kind="stable").reset_index(drop=True)
