"""Canonical codes of the petrochem plugin and the Chinese names accepted for them.

Codes are English (they appear in JSON and profiles); every place that reads a code from data also
accepts its Chinese name and the listed aliases, so a Chinese firm's export can be used as it is.
"""

from __future__ import annotations

from typing import Mapping

# 第九条(二): the five levels, lowest first; the position is the level's rank.
LEVELS: tuple[str, ...] = ("auction", "ordinary", "star1", "star2", "star3")
LEVEL_LABELS: dict[str, str] = {
    "auction": "网拍客户",
    "ordinary": "普通客户",
    "star1": "一星客户",
    "star2": "二星客户",
    "star3": "三星客户",
}
# The levels a plan customer's monthly tonnage decides (网拍 is decided by the sales form).
STAR_LEVELS: tuple[str, ...] = LEVELS[1:]

# 第九条(一) / 第十条(一): the customer classes by sales object.
SEGMENTS: dict[str, str] = {"direct": "直销客户", "exclusive_agent": "独家代理商", "distributor": "经销商"}

# 第九条 / 第十条: polyolefin products (第九条) and the other chemical products (第十条) a firm's export
# names in the product column; any other product named there is an other product too.
POLYOLEFIN_PRODUCTS: frozenset[str] = frozenset({
    "聚烯烃", "聚乙烯", "聚丙烯", "PE", "PP", "HDPE", "LDPE", "LLDPE", "高密度聚乙烯", "低密度聚乙烯",
    "线性低密度聚乙烯", "均聚聚丙烯", "共聚聚丙烯", "无规共聚聚丙烯", "抗冲共聚聚丙烯",
})
OTHER_PRODUCTS: frozenset[str] = frozenset({
    "苯乙烯", "乙二醇", "聚苯乙烯", "苯", "甲苯", "二甲苯", "对二甲苯", "丁二烯", "丙烯腈", "甲醇", "乙烯", "丙烯",
    "环氧乙烷", "醋酸乙烯", "丁醇", "辛醇", "MTBE", "甲基叔丁基醚", "精对苯二甲酸", "PTA", "SM", "MEG", "EG",
})

SEVERITY_LABELS: dict[str, str] = {"general": "一般", "major": "较大", "serious": "严重"}

# 第七条 (and 第十条(三)1(2), 第十五条): dossier document types.
DOC_TYPES: dict[str, str] = {
    "business_licence": "营业执照",
    "tax_registration_national": "税务登记证(国税)",
    "tax_registration_local": "税务登记证(地税)",
    "organisation_code": "组织机构代码证",
    "invoicing_details": "开票资料",
    "account_opening_form": "客户开户审批表",
    "exclusive_agent_licence": "独家代理许可证",
    "sales_plan": "下月销售计划",
    "renewal_proof": "资质换证证明",
}
DOC_ALIASES: dict[str, str] = {
    "企业营业执照": "business_licence",
    "国税税务登记证": "tax_registration_national",
    "税务登记证-国税": "tax_registration_national",
    "地税税务登记证": "tax_registration_local",
    "税务登记证-地税": "tax_registration_local",
    "开户审批表": "account_opening_form",
    "月度销售计划": "sales_plan",
    "销售计划": "sales_plan",
    "换证证明": "renewal_proof",
}
# Documents checked by their own clause rather than as 第七条 qualification materials.
EXCLUSIVE_AGENT_DOCS: frozenset[str] = frozenset({"exclusive_agent_licence", "sales_plan"})

# 第七条: the approval chain.
APPROVAL_STAGES: dict[str, str] = {"sales": "销售部", "finance": "财务部", "general_manager": "总经理"}
STAGE_ALIASES: dict[str, str] = {
    "销售部审核": "sales",
    "财务部审核": "finance",
    "总经理审批": "general_manager",
}

# 第十七条: archive status values that record a disqualifying fact, with the item they fall under.
DISQUALIFYING_STATUSES: dict[str, tuple[str, str]] = {
    "false_information": ("(一)", "提供虚假信息、有欺诈或严重失信行为"),
    "economic_loss": ("(二)", "给公司造成经济损失或严重影响公司市场信誉"),
    "under_investigation": ("(三)", "违反国家和地方法律法规、被司法或行政机关立案查处"),
}
STATUS_ALIASES: dict[str, str] = {
    "提供虚假信息": "false_information",
    "欺诈": "false_information",
    "严重失信": "false_information",
    "造成经济损失": "economic_loss",
    "严重影响市场信誉": "economic_loss",
    "立案查处": "under_investigation",
    "被立案查处": "under_investigation",
}

# 油品调运分公司客户管理办法 附件1: the three rated items of a visit report.
VISIT_ITEMS: dict[str, str] = {"quality": "质量", "service": "服务态度", "awareness": "产品的知名度"}
# The form's options, left to right, with the scores its note prints (100/90/85/80/70/60/50; service
# 不好 30, 恶劣 0). The quality row has six options for seven scores: read positionally.
VISIT_FORM: dict[str, dict[str, int]] = {
    "quality": {"非常优良": 100, "优良": 90, "良好": 85, "一般": 80, "合格": 70, "不合格": 60},
    "service": {"非常优良": 100, "优良": 90, "良好": 85, "一般": 80, "不好": 30, "恶劣": 0},
    "awareness": {"非常驰名": 100, "驰名": 90, "知名度高": 85, "知名度较高": 80, "知名": 70, "知道": 60, "不知道": 50},
}

# chinesecalendar's holiday names in Chinese, for explanations.
HOLIDAY_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
    "company holiday": "公司假日",
}


def _lookup(value: str | None, labels: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if text in labels:
        return text
    for code, label in labels.items():
        if text == label:
            return code
    return (aliases or {}).get(text)


_LEVEL_LOOKUP: dict[str, str] = {
    **{code: code for code in LEVEL_LABELS},
    **{label: code for code, label in LEVEL_LABELS.items()},
    **{label.removesuffix("客户"): code for code, label in LEVEL_LABELS.items()},
}
#: Every way a customer's recorded level (当前级别) may be written: a level, or for an other-product
#: customer its class (第十条(一) classes stand where polyolefin levels do). Anything else is refused.
RECORDED_LEVELS: dict[str, str] = {
    **_LEVEL_LOOKUP,
    **{code: code for code in SEGMENTS},
    **{label: code for code, label in SEGMENTS.items()},
}


def level_code(value: str | None) -> str | None:
    """``一星`` / ``一星客户`` / ``star1`` -> ``star1``; unknown or empty -> None (hot path: one lookup)."""
    if not value:
        return None
    return _LEVEL_LOOKUP.get(value) or _LEVEL_LOOKUP.get(value.strip())


def doc_type_code(value: str | None) -> str | None:
    """A document type's canonical code (``营业执照`` -> ``business_licence``); None when unknown."""
    if value is None:
        return None
    return _lookup(value.replace("（", "(").replace("）", ")"), DOC_TYPES, DOC_ALIASES)


def stage_code(value: str | None) -> str | None:
    return _lookup(value, APPROVAL_STAGES, STAGE_ALIASES)


def segment_code(value: str | None) -> str | None:
    return _lookup(value, SEGMENTS, {"直销": "direct", "独家代理": "exclusive_agent"})


def severity_code(value: str | None) -> str | None:
    return _lookup(value, SEVERITY_LABELS, {"情节较重": "major", "较重": "major"})


def disqualifying_status(value: str | None) -> str | None:
    return _lookup(value, {k: v[1] for k, v in DISQUALIFYING_STATUSES.items()}, STATUS_ALIASES)
