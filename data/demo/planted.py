"""The weak links planted in the demo data (see :mod:`data.demo` for the full story).

Generators read these constants; tests and the metrics engineer can check against them.
The dashboard must find the same weak links from the data alone.
"""

from __future__ import annotations

SLOW_REVIEW_DEPT = "JH009"
"""区住房城乡建设局: on 70% of its applications the 审查 stage (reviewed_at − accepted_at) takes
4–20 extra working days, so its median 审查 hours are many times every other department's
and about three quarters of its applications finish after the promised limit."""

LOW_ONLINE_STREET = "JH019"
"""礼乐街道: applications located in it (street_code) or accepted by it (dept_code) are mostly
submitted at the window (网上申办率 about 0.2 against about 0.8 in the other streets)."""

UNREPORTED_DEPT = "JH010"
"""区文化广电旅游体育局: six cases from higher levels, enforcement, 互联网+督查 and business
feedback, verified 属实, that it did not report itself (dept_reported 否)."""

UNREPORTED_COUNT = 6

OVERDUE_KEY_DEPT = "JH012"
"""区应急管理局: a key case (重点督办, verified 属实, received 2026-02-27) whose rectify_deadline
2026-08-31 passed without a rectified_date; it is the only overdue key case."""

OVERDUE_KEY_DEADLINE = "2026-08-31"

STALE_GUIDE_DEPT = "JH011"
"""区交通运输局: every service guide was last updated before the 2025 list took effect
(guide_updated < 2025-04-24), and it published no 2025 许可事项办事指南."""

INCOMPLETE_DATA_DEPT = "JH014"
"""区人力资源社会保障局: about 85% of its completed applications have reviewed_at, decided_at
and visits empty."""

CHANNEL_GAPS = {"JH016": ("微信公众号", "信用中国"), "JH006": ("信用中国",), "JH018": ("信用中国",)}
"""Departments that did not publish the 2025 negative list on these channels."""

# ---------------------------------------------------------------- hidden barriers (screening.md)
# Items are named (dept_code, item_name); the screen must flag exactly these from the data.

OUTSIDE_SHARE = 0.2
"""Share of the applications of items with business applicants (not 个体工商户 items) made by
entities registered outside 江门 (other Guangdong cities and other provinces), before the
factor of the item's applicant groups (:data:`OUTSIDE_FACTOR`)."""

OUTSIDE_FACTOR = {
    "build": 1.4, "transport": 1.4, "mfg": 1.2, "trade": 1.1, "chem": 1.0, "hr": 1.0,
    "culture": 0.8, "food": 0.8, "health": 0.8, "agri": 0.6, "edu": 0.6,
}
"""Firms from elsewhere build, haul and manufacture here more than they run local shops."""

REJECTION_ITEM = ("JH008", "公共场所卫生许可证核发（新办）")
"""45% of 外地 applicants' completed applications are refused (result 不予), on top of the usual 2.5%."""

TIME_ITEM = ("JH004", "特种设备使用登记（新办）")
"""外地 applicants wait 3 + Poisson(2) extra working days in review (except 即办件)."""

VISITS_ITEM = ("JH011", "道路货物运输车辆《道路运输证》配发")
"""外地 applicants are sent to the window once or twice more."""

SUSPENSION_ITEM = ("JH004", "食品经营许可证核发（新办）")
"""Half of 外地 applicants' non-instant applications go through a special procedure."""

LIFTED_ITEM = ("JH010", "文物商店设立审批")
"""A 行政许可 item whose negative-list basis (文物经营, only in the 2022 list) the 2025 list
dropped; still applied for and approved after 2025-04-24."""

NONLOCAL_BARRIERS = {
    "nonlocal_rejection": REJECTION_ITEM,
    "nonlocal_time": TIME_ITEM,
    "nonlocal_visits": VISITS_ITEM,
    "nonlocal_suspension": SUSPENSION_ITEM,
}
"""The planted barrier of each tested kind of the screen."""
