"""Disclosures, credit risk classes and provincial evaluation scores of the demo."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import planted
from data.demo.catalog import DEPARTMENTS, LIST_2022_EFFECTIVE, LIST_2025_EFFECTIVE, STREETS
from data.demo.entities import EntityPool
from data.demo.timeline import WorkCalendar, day_no, iso

PORTAL_SLUG = {
    "JH001": "jhfgj", "JH002": "jhjcj", "JH003": "jhmzj", "JH004": "jhscjgj", "JH005": "jhzsj",
    "JH006": "jhgsl", "JH007": "jhswj", "JH008": "jhwjj", "JH009": "jhzjj", "JH010": "jhwgltj",
    "JH011": "jhjtysj", "JH012": "jhyjglj", "JH013": "jhsthjfj", "JH014": "jhrsj", "JH015": "jhjyj",
    "JH016": "jhnyncj", "JH017": "jnjd", "JH018": "whjd", "JH019": "lljd",
}
_WX_CHARS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"))


def _url(rng: np.random.Generator, dept: str, channel: str) -> str:
    if channel == "门户网站":
        post = int(rng.integers(3_100_000, 3_400_000))
        return f"http://www.jianghai.gov.cn/{PORTAL_SLUG[dept]}/gkmlpt/content/3/{post // 1000}/post_{post}.html"
    if channel == "微信公众号":
        return "https://mp.weixin.qq.com/s/" + "".join(rng.choice(_WX_CHARS, 22))
    return f"http://www.jianghai.gov.cn/xyjh/tzgg/content/post_{int(rng.integers(3_100_000, 3_400_000))}.html"


def generate_disclosures(rng: np.random.Generator, cal: WorkCalendar, items: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(dept: str, content: str, version: str, channel: str, start: str, wd_lo: int, wd_hi: int) -> None:
        day = int(cal.add_workdays(np.array([day_no(start)]), int(rng.integers(wd_lo, wd_hi + 1)))[0])
        rows.append(
            {"dept_code": dept, "content": content, "version": version, "channel": channel,
             "published_date": iso(day), "url": _url(rng, dept, channel)}
        )

    licensing_depts = sorted(set(items.loc[items["item_type"] == "行政许可", "dept_code"]))
    for dept, *_ in DEPARTMENTS:
        # 2022 list: mostly the portal, some WeChat
        add(dept, "负面清单", "2022", "门户网站", LIST_2022_EFFECTIVE, 3, 25)
        if rng.random() < 0.5:
            add(dept, "负面清单", "2022", "微信公众号", LIST_2022_EFFECTIVE, 5, 30)
        # 2025 list on the three channels the notice names, with the planted gaps
        missing = planted.CHANNEL_GAPS.get(dept, ())
        late = 25 if dept == planted.LOW_ONLINE_STREET else 0
        for channel, lo, hi in (("门户网站", 1, 8), ("微信公众号", 2, 12), ("信用中国", 4, 20)):
            if channel not in missing:
                add(dept, "负面清单", "2025", channel, LIST_2025_EFFECTIVE, lo + late, hi + late)
        if dept in licensing_depts:
            if dept == planted.STALE_GUIDE_DEPT:
                add(dept, "许可事项办事指南", "2022", "门户网站", "2023-05-08", 0, 20)
            else:
                add(dept, "许可事项办事指南", "2025", "门户网站", "2025-04-25", 10, 60)
                if rng.random() < 0.6 or dept in STREETS:
                    add(dept, "许可事项办事指南", "2025", "微信公众号", "2025-04-25", 15, 70)
    # the conveners announce the list's adjustment
    for dept in ("JH001", "JH002"):
        for channel in ("门户网站", "微信公众号", "信用中国"):
            add(dept, "清单调整", "2025", channel, LIST_2025_EFFECTIVE, 1, 6)
    return pd.DataFrame(rows)


# Supervising departments and the entity groups they classify; rating rounds.
RATERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "JH004": (
        ("food", "trade", "mfg", "build", "transport", "health", "culture", "hr", "agri", "chem", "edu"),
        ("2025-01-15", "2025-07-15", "2026-01-15", "2026-07-15"),
    ),
    "JH007": (("trade", "mfg", "build", "transport", "food", "hr"), ("2025-04-21", "2026-04-20")),
    "JH008": (("health", "food"), ("2025-03-20", "2025-09-19", "2026-03-20", "2026-09-18")),
    "JH009": (("build",), ("2025-03-31", "2025-09-30", "2026-03-31", "2026-09-30")),
    "JH011": (("transport",), ("2025-06-30", "2026-06-30")),
    "JH012": (("chem", "mfg"), ("2025-03-28", "2025-09-26", "2026-03-27", "2026-09-25")),
    "JH013": (("mfg", "chem"), ("2025-05-30", "2025-11-28", "2026-05-29")),
}
TRANSITION = np.array(
    [
        [0.86, 0.11, 0.025, 0.005],
        [0.12, 0.78, 0.08, 0.02],
        [0.05, 0.30, 0.55, 0.10],
        [0.02, 0.10, 0.28, 0.60],
    ]
)
INITIAL = {"JH004": (0.30, 0.55, 0.12, 0.03), "JH007": (0.28, 0.52, 0.15, 0.05), "JH013": (0.22, 0.50, 0.20, 0.08)}


def generate_credit_ratings(rng: np.random.Generator, cal: WorkCalendar, pool: EntityPool, n_entities: int = 3000) -> pd.DataFrame:
    companies = np.flatnonzero(~pool.individual & ~pd.Series(pool.uscc).str.startswith("52").to_numpy())
    chosen = np.sort(rng.choice(companies, size=min(n_entities, len(companies)), replace=False))
    grades = np.array(list("ABCD"))
    frames = []
    for dept, (groups, rounds) in RATERS.items():
        rated = chosen[np.isin(pool.group[chosen], groups)]
        if dept not in ("JH004", "JH007"):
            rated = rated[rng.random(len(rated)) < 0.7]
        if len(rated) == 0:
            continue
        first_round = np.where(rng.random(len(rated)) < 0.75, 0, rng.integers(1, len(rounds), len(rated)))
        state = rng.choice(4, size=len(rated), p=INITIAL.get(dept, (0.32, 0.52, 0.12, 0.04)))
        for r, date in enumerate(rounds):
            if r > 0:
                u = rng.random(len(rated))
                cum = TRANSITION[state].cumsum(axis=1)
                state = np.minimum((u[:, None] > cum).sum(axis=1), 3)
            day = int(cal.add_workdays(np.array([day_no(date)]), 0)[0])
            active = first_round <= r
            frames.append(
                pd.DataFrame(
                    {
                        "entity_id": pool.uscc[rated[active]],
                        "entity_name": pool.name[rated[active]],
                        "dept_code": dept,
                        "grade": grades[state[active]],
                        "rated_date": iso(day),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


INDICATORS = {
    "办事流程": ("办理时限压缩", "按时办结"),
    "服务渠道": ("网上可办", "全程网办"),
    "审批途径": ("告知承诺实施", "容缺受理实施"),
    "监管手段": ("双随机一公开抽查", "信用分类监管"),
    "制度宣传保障": ("负面清单公开", "办事指南规范"),
}
# Planted weak links show in the provincial platform's scores too.
WEAK = {
    (planted.SLOW_REVIEW_DEPT, "办事流程"): -22,
    (planted.LOW_ONLINE_STREET, "服务渠道"): -25,
    (planted.UNREPORTED_DEPT, "监管手段"): -18,
    (planted.OVERDUE_KEY_DEPT, "监管手段"): -12,
    (planted.STALE_GUIDE_DEPT, "制度宣传保障"): -20,
    (planted.INCOMPLETE_DATA_DEPT, "办事流程"): -10,
}


def generate_provincial_scores(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    depts = [d[0] for d in DEPARTMENTS if d[2] != "群团组织"]
    for p, period in enumerate(("2025H1", "2025H2", "2026H1")):
        for dept in depts:
            for dimension, names in INDICATORS.items():
                for indicator in names:
                    score = rng.normal(86 + 1.5 * p, 5) + WEAK.get((dept, dimension), 0)
                    rows.append(
                        {"period": period, "dept_code": dept, "dimension": dimension, "indicator": indicator,
                         "score": round(float(np.clip(score, 35, 99.5)), 1), "max_score": 100.0}
                    )
    return pd.DataFrame(rows)
