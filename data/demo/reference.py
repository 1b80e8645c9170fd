"""Reference tables of the demo: departments, both negative-list versions, service items."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import planted
from data.demo.catalog import (
    BASE_ITEMS,
    DEPARTMENTS,
    ITEM_SEASONS,
    ITEM_TYPE_CODE,
    LICENSED,
    LIFTED_BASE_ITEM,
    LIST_2022_EFFECTIVE,
    LIST_2025_EFFECTIVE,
    NL_BY_TAG,
    PROHIBITED,
    STREET_ITEMS,
    BaseItem,
)
from data.demo.timeline import WorkCalendar, day_no, iso


def departments() -> pd.DataFrame:
    rows = [
        {"dept_code": c, "dept_name": n, "dept_type": t, "joint_meeting": j, "convener": v}
        for c, n, t, j, v, _ in DEPARTMENTS
    ]
    return pd.DataFrame(rows)


def negative_list() -> pd.DataFrame:
    rows = []
    for version, effective in (("2022", LIST_2022_EFFECTIVE), ("2025", LIST_2025_EFFECTIVE)):
        no = 0
        for code, name, measures, authority in PROHIBITED:
            no += 1
            rows.append((version, code, "禁止准入类", no, name, measures, authority, effective))
        for i, (_tag, name, measures, authority, versions) in enumerate(LICENSED):
            if versions not in ("both", version):
                continue
            no += 1
            rows.append(
                (version, f"XK{i + 1:03d}", "许可准入类", no, name, measures, authority, effective)
            )
    return pd.DataFrame(
        rows,
        columns=["version", "nl_code", "category", "item_no", "name", "measures", "authority", "effective_date"],
    )


def _street_base_items() -> list[BaseItem]:
    items = []
    for name, typ, nl, legal, promised, volumes, online, full, materials in STREET_ITEMS:
        for street, volume in volumes.items():
            items.append(
                BaseItem(
                    street, name, typ, nl, legal, promised, volume, online=online, full_online=full,
                    materials=materials, profile="license" if typ == "行政许可" else "instant",
                    entity=("food",) if nl == "foodbiz" else ("trade", "food", "build"),
                )
            )
    return items


def service_items(rng: np.random.Generator, cal: WorkCalendar) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The service items table, and per item the generation parameters (volume, routes, ...)."""
    rows: list[dict[str, object]] = []
    params: list[dict[str, object]] = []
    seq_by_dept: dict[str, int] = {}
    license_no = 0
    after_2025 = (day_no("2025-04-25"), day_no("2025-09-30"))
    bases = (*BASE_ITEMS, *_street_base_items(), LIFTED_BASE_ITEM)
    # in about half the larger departments one guide lags behind the 2025 list
    lagging: set[int] = set()
    for dept in sorted({b.dept for b in bases}):
        own = [i for i, b in enumerate(bases) if b.dept == dept and not b.subs and b.nl]
        if len(own) >= 4 and dept != planted.STALE_GUIDE_DEPT and rng.random() < 0.5:
            lagging.add(own[int(rng.integers(len(own)))])
    for index, base in enumerate(bases):
        seq = seq_by_dept.get(base.dept, 0) + 1
        seq_by_dept[base.dept] = seq
        tt = ITEM_TYPE_CODE[base.type]
        dept_no = int(base.dept[2:])
        base_code = f"440704-{tt}-{dept_no:02d}{seq:02d}"
        power_code = None if base.type == "公共服务" else f"QL{base_code.replace('-', '')}"
        license_code = None
        if base.type == "行政许可":
            license_no += 1
            license_code = f"44XK{3000 + license_no * 7:04d}"
        if base.gap == "power":
            power_code = None
        if base.gap == "license":
            license_code = None
        online_available = base.online >= 0.4
        # 全程网办 unless the item needs the applicant on site (inspection, hearing)
        full = online_available and (base.full_online or (base.online >= 0.5 and base.suspend < 0.4))
        subs = base.subs or (("", 1.0, None),)
        # service guide: rewritten after the 2025 list took effect, except the planted department
        if base.dept == planted.STALE_GUIDE_DEPT:
            guide_day = int(rng.integers(day_no("2023-05-08"), day_no("2024-12-20")))
        else:
            r = rng.random()
            if index in lagging:
                guide_day = int(rng.integers(day_no("2024-03-01"), day_no("2025-04-20")))
            elif r < 0.93:
                guide_day = int(rng.integers(*after_2025))
            else:
                guide_day = int(rng.integers(day_no("2026-01-05"), day_no("2026-09-30")))
        guide_day = int(cal.workdays[cal.next_work_index(np.array([guide_day]))[0]])
        for k, (suffix, share, promised_override) in enumerate(subs, start=1):
            promised = base.promised if promised_override is None else promised_override
            promised = min(promised, base.legal) if base.legal > 0 else 0
            materials = base.materials
            if suffix in ("变更", "注销", "延续", "延期", "换证", "校验"):
                materials = max(1, materials - int(rng.integers(1, 4)))
            if full:
                max_visits = 0
            elif online_available:
                max_visits = 1
            else:
                max_visits = 2 if base.suspend >= 0.4 else 1
            is_license = base.type == "行政许可"
            pub = {
                "pub_legal_basis": rng.random() > 0.02,
                "pub_standards": rng.random() > (0.15 if is_license else 0.3),
                "pub_requirements": rng.random() > 0.03,
                "pub_procedure": rng.random() > 0.02,
                "pub_time_limit": rng.random() > 0.02,
            }
            code = f"{base_code}-{k:02d}"
            rows.append(
                {
                    "item_code": code,
                    "item_name": f"{base.name}（{suffix}）" if suffix else base.name,
                    "dept_code": base.dept,
                    "item_type": base.type,
                    "nl_code": NL_BY_TAG[base.nl] if base.nl else None,
                    "power_code": power_code,
                    "license_code": license_code,
                    "legal_limit_days": base.legal,
                    "promised_limit_days": promised,
                    "online_available": online_available,
                    "full_online": full,
                    "max_visits": max_visits,
                    "materials": materials,
                    **pub,
                    "guide_updated": iso(guide_day),
                }
            )
            params.append(
                {
                    "item_code": code,
                    "dept": base.dept,
                    "volume": base.volume * share,
                    "promised": promised,
                    "legal": base.legal,
                    "online_share": base.online if online_available else 0.0,
                    "full_online": full,
                    "profile": "instant" if promised == 0 else base.profile,
                    "suspend": base.suspend if promised > 0 else 0.0,
                    "entity": base.entity,
                    "individual": base.name.startswith("个体工商户"),
                    "sink": base.sink,
                    "season": ITEM_SEASONS.get(base.season or "", (1.0,) * 12),
                }
            )
    items = pd.DataFrame(rows)
    items = items.astype({"max_visits": "Int64", "materials": "Int64"})
    return items, pd.DataFrame(params)

