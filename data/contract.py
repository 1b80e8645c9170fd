"""The data contract (``shared/spec/data-contract.md``) expressed as data.

Every table that can be imported is described once here: its id, Chinese name, natural
key and columns with their type, requiredness and rule.  The database schema
(:mod:`data.schema`), the importer (:mod:`data.importer`) and the demo-data writer all
derive from these declarations, so a column is named, typed and validated in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Value kinds of the contract; each has one parser in :mod:`data.values`."""

    TEXT = "text"
    ENUM = "enum"
    BOOL = "bool"
    INT = "int"  # integer >= 0
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    RATING = "rating"  # 1..5 or the five Chinese words
    USCC = "uscc"  # unified social credit code, GB 32100-2015


@dataclass(frozen=True)
class Column:
    """One column of a contract table."""

    id: str
    zh: str
    kind: Kind
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an ENUM
    ref: str | None = None  # table id this code refers to
    default: object = None  # value stored when the cell is empty
    happened: bool = False  # a past event: may not lie in the future


@dataclass(frozen=True)
class Table:
    """One contract table: id, Chinese name, natural key and columns in contract order."""

    id: str
    zh: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    optional: bool = False
    notes: tuple[str, ...] = field(default=())

    def column(self, column_id: str) -> Column:
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(column_id)

    @property
    def column_ids(self) -> list[str]:
        return [c.id for c in self.columns]


def _c(id: str, zh: str, kind: Kind, required: bool = False, **kw: object) -> Column:
    return Column(id, zh, kind, required, **kw)  # type: ignore[arg-type]


K = Kind
DEPT_TYPES = ("区直部门", "街道", "垂直管理部门", "群团组织", "其他")
NL_CATEGORIES = ("禁止准入类", "许可准入类")
ITEM_TYPES = ("行政许可", "行政确认", "行政备案", "公共服务", "其他权力")
CHANNELS = ("网上办理", "掌上办理", "窗口办理", "自助终端", "邮寄", "其他")
ROUTES = ("即办件", "承诺件", "告知承诺", "容缺受理", "并联审批")
APP_STATUSES = ("在办", "已办结", "不予受理", "撤回")
APP_RESULTS = ("准予", "不予")
RATING_WORDS = {"非常不满意": 1, "不满意": 2, "基本满意": 3, "满意": 4, "非常满意": 5}
CASE_SOURCES = (
    "行政执法", "互联网+督查", "经营主体反映", "国家部委转办", "省级转办", "市级转办", "部门自查", "其他",
)
CASE_CATEGORIES = ("违规审批禁止准入事项", "违规审批许可准入事项", "违规设置隐性壁垒", "其他")
CASE_STATUSES = ("待转办", "已转办", "核查中", "不属实", "整改中", "已整改", "已办结")
VERIFIED = ("属实", "不属实")
DISCLOSURE_CONTENTS = ("负面清单", "许可事项办事指南", "清单调整")
DISCLOSURE_CHANNELS = ("门户网站", "微信公众号", "信用中国")
GRADES = ("A", "B", "C", "D")
DIMENSIONS = ("办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障")

DEPARTMENTS = Table(
    "departments", "部门", ("dept_code",),
    (
        _c("dept_code", "部门编码", K.TEXT, True),
        _c("dept_name", "部门名称", K.TEXT, True),
        _c("dept_type", "部门类型", K.ENUM, True, values=DEPT_TYPES),
        _c("joint_meeting", "联席会议成员单位", K.BOOL, default=False),
        _c("convener", "召集单位", K.BOOL, default=False),
    ),
)

NEGATIVE_LIST = Table(
    "negative_list", "负面清单事项", ("version", "nl_code"),
    (
        _c("version", "清单版本", K.TEXT, True),
        _c("nl_code", "事项编码", K.TEXT, True),
        _c("category", "类别", K.ENUM, True, values=NL_CATEGORIES),
        _c("item_no", "项目号", K.INT),
        _c("name", "事项名称", K.TEXT, True),
        _c("measures", "准入措施描述", K.TEXT),
        _c("authority", "主管部门", K.TEXT),
        _c("effective_date", "生效日期", K.DATE, True),
    ),
)

SERVICE_ITEMS = Table(
    "service_items", "政务服务事项", ("item_code",),
    (
        _c("item_code", "事项编码", K.TEXT, True),
        _c("item_name", "事项名称", K.TEXT, True),
        _c("dept_code", "实施部门编码", K.TEXT, True, ref="departments"),
        _c("item_type", "事项类型", K.ENUM, True, values=ITEM_TYPES),
        _c("nl_code", "负面清单事项编码", K.TEXT, ref="negative_list"),
        _c("power_code", "行政权力清单编码", K.TEXT),
        _c("license_code", "行政许可事项编码", K.TEXT),
        _c("legal_limit_days", "法定办结时限", K.INT, True),
        _c("promised_limit_days", "承诺办结时限", K.INT, True),
        _c("online_available", "网上可办", K.BOOL, default=False),
        _c("full_online", "全程网办", K.BOOL, default=False),
        _c("max_visits", "到现场次数", K.INT),
        _c("materials", "申请材料数", K.INT),
        _c("pub_legal_basis", "公开法律法规依据", K.BOOL, default=False),
        _c("pub_standards", "公开技术标准", K.BOOL, default=False),
        _c("pub_requirements", "公开许可要求", K.BOOL, default=False),
        _c("pub_procedure", "公开办理流程", K.BOOL, default=False),
        _c("pub_time_limit", "公开办理时限", K.BOOL, default=False),
        _c("guide_updated", "办事指南更新日期", K.DATE, happened=True),
    ),
)

APPLICATIONS = Table(
    "applications", "办件", ("app_id",),
    (
        _c("app_id", "办件编号", K.TEXT, True),
        _c("item_code", "事项编码", K.TEXT, True, ref="service_items"),
        _c("dept_code", "受理部门编码", K.TEXT, ref="departments"),
        _c("street_code", "街道编码", K.TEXT, ref="departments"),
        _c("channel", "申请渠道", K.ENUM, True, values=CHANNELS),
        _c("route", "审批方式", K.ENUM, True, values=ROUTES),
        _c("submitted_at", "申请时间", K.DATETIME, True, happened=True),
        _c("accepted_at", "受理时间", K.DATETIME, happened=True),
        _c("reviewed_at", "审查完成时间", K.DATETIME, happened=True),
        _c("decided_at", "决定时间", K.DATETIME, happened=True),
        _c("completed_at", "办结时间", K.DATETIME, happened=True),
        _c("status", "办理状态", K.ENUM, True, values=APP_STATUSES),
        _c("result", "办理结果", K.ENUM, values=APP_RESULTS),
        _c("suspended_days", "特别程序用时", K.INT, default=0),
        _c("visits", "到现场次数", K.INT),
        _c("rating", "好差评", K.RATING),
        _c("entity_id", "统一社会信用代码", K.USCC),
    ),
)

CASES = Table(
    "cases", "问题线索与案例", ("case_id",),
    (
        _c("case_id", "线索编号", K.TEXT, True),
        _c("received_date", "接收日期", K.DATE, True, happened=True),
        _c("source", "线索来源", K.ENUM, True, values=CASE_SOURCES),
        _c("category", "问题类别", K.ENUM, True, values=CASE_CATEGORIES),
        _c("dept_code", "责任单位编码", K.TEXT, True, ref="departments"),
        _c("street_code", "街道编码", K.TEXT, ref="departments"),
        _c("summary", "问题摘要", K.TEXT),
        _c("status", "办理状态", K.ENUM, True, values=CASE_STATUSES),
        _c("transferred_date", "转办日期", K.DATE, happened=True),
        _c("verified_date", "核实日期", K.DATE, happened=True),
        _c("verified", "核查结论", K.ENUM, values=VERIFIED),
        _c("dept_reported", "责任单位已填报", K.BOOL, default=False),
        _c("key_case", "重点督办", K.BOOL, default=False),
        _c("rectify_deadline", "整改时限", K.DATE),
        _c("rectified_date", "整改完成日期", K.DATE, happened=True),
        _c("closed_date", "办结日期", K.DATE, happened=True),
        _c("responsible_person", "责任人", K.TEXT),
        _c("rectify_tasks", "整改任务", K.TEXT),
    ),
)

DISCLOSURES = Table(
    "disclosures", "信息公开记录", ("dept_code", "content", "version", "channel"),
    (
        _c("dept_code", "公开单位编码", K.TEXT, True, ref="departments"),
        _c("content", "公开内容", K.ENUM, True, values=DISCLOSURE_CONTENTS),
        _c("version", "清单版本", K.TEXT, True, ref="negative_list"),
        _c("channel", "公开渠道", K.ENUM, True, values=DISCLOSURE_CHANNELS),
        _c("published_date", "公开日期", K.DATE, True, happened=True),
        _c("url", "链接", K.TEXT),
    ),
)

CREDIT_RATINGS = Table(
    "credit_ratings", "信用风险分类", ("entity_id", "dept_code", "rated_date"),
    (
        _c("entity_id", "统一社会信用代码", K.USCC, True),
        _c("entity_name", "经营主体名称", K.TEXT),
        _c("dept_code", "监管部门编码", K.TEXT, True, ref="departments"),
        _c("grade", "信用风险类别", K.ENUM, True, values=GRADES),
        _c("rated_date", "分类日期", K.DATE, True, happened=True),
    ),
)

PROVINCIAL_SCORES = Table(
    "provincial_scores", "省平台评估结果", ("period", "dept_code", "dimension", "indicator"),
    (
        _c("period", "评估期", K.TEXT, True),
        _c("dept_code", "部门编码", K.TEXT, True, ref="departments"),
        _c("dimension", "评估维度", K.ENUM, True, values=DIMENSIONS),
        _c("indicator", "指标名称", K.TEXT, True),
        _c("score", "得分", K.NUMBER, True),
        _c("max_score", "满分", K.NUMBER, default=100.0),
    ),
    optional=True,
)

TABLES: tuple[Table, ...] = (
    DEPARTMENTS, NEGATIVE_LIST, SERVICE_ITEMS, APPLICATIONS, CASES, DISCLOSURES,
    CREDIT_RATINGS, PROVINCIAL_SCORES,
)
"""Contract tables in dependency order: a table refers only to tables before it."""

TABLES_BY_ID: dict[str, Table] = {t.id: t for t in TABLES}


def table_for_name(name: str) -> Table | None:
    """The table named by a sheet name or file stem: its id or its Chinese name."""
    norm = name.strip().lower()
    for table in TABLES:
        if norm in (table.id, table.zh.lower()):
            return table
    return None
