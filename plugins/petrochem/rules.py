"""Rule table of the petrochem plugin: every rule it applies, with its document and clause.

The pure rule functions live in the sibling modules (``tiers``, ``complaints``, ``archive``,
``admission``, ``allocation``, ``visits``); each decision they make names one rule below, and
``catalogue()`` (the ``rule_catalogue`` hook) lists them all.
"""

from __future__ import annotations

from ...core.decisions import Citation, Rule

DOC = "石油销售公司化工品客户管理办法"
DOC_YOUPIN = "工贸油品调运分公司客户管理办法"

# --- 第五章 classification (第九条, 第十条) ----------------------------------------------------
TIER = Rule("petrochem.polyolefin_tier", Citation(DOC, "第九条(二)"), "聚烯烃计划客户按单月提货量分级,依次升降")
AUCTION = Rule("petrochem.auction_customer", Citation(DOC, "第九条(二)1"), "网拍客户:新开发客户")
DIRECT_AS_ORDINARY = Rule("petrochem.direct_as_plan_ordinary", Citation(DOC, "第九条(二)"), "直销客户等同计划普通客户级别管理")
TIER_NO_VOLUME = Rule("petrochem.tier_without_volume", Citation(DOC, "第九条(二)"), "无提货量资料时维持现级别")
TIER_REVIEW = Rule("petrochem.tier_review", Citation(DOC, "第十六条、第九条(二)"), "季度、半年、全年客户评审")
OTHER_PRODUCT_CLASS = Rule("petrochem.other_product_class", Citation(DOC, "第十条(一)"), "其他产品客户分为直销客户、独家代理商、经销商")

# --- 第十条 admission of other-product customers, 第十七条 disqualification ----------------------
ADMISSION_DIRECT = Rule("petrochem.admission_direct", Citation(DOC, "第十条(二)"), "直销客户准入条件")
ADMISSION_EXCLUSIVE = Rule("petrochem.admission_exclusive_agent", Citation(DOC, "第十条(三)1"), "独家代理商准入条件")
ADMISSION_DISTRIBUTOR = Rule("petrochem.admission_distributor", Citation(DOC, "第十条(四)1"), "经销商客户准入条件")
DISQUALIFIED = Rule("petrochem.disqualification", Citation(DOC, "第十七条"), "取消客户资格")

# --- 第三条, 第十条 resource allocation --------------------------------------------------------
ALLOCATION = Rule("petrochem.resource_allocation", Citation(DOC, "第三条(二)、第十条(三)2、第十条(四)3"), "确保直销量、平衡独家代理量、补充经销量")
ALLOCATION_SUSPENDED = Rule("petrochem.allocation_suspended", Citation(DOC, "第十五条"), "暂停业务往来的客户不分配资源")
ALLOCATION_DISQUALIFIED = Rule("petrochem.allocation_disqualified", Citation(DOC, "第十七条"), "已取消客户资格的客户不分配资源")

# --- 第四章, 第七章 dossier --------------------------------------------------------------------
ARCHIVE_COMPLETE = Rule("petrochem.archive_complete", Citation(DOC, "第七条"), "资质材料齐全有效,审批完毕")
ARCHIVE_INCOMPLETE = Rule("petrochem.archive_incomplete", Citation(DOC, "第七条"), "资质材料不全或不真实有效")
ARCHIVE_AGENT_DUTIES = Rule("petrochem.archive_exclusive_agent_duties", Citation(DOC, "第十条(三)1(2)"), "独家代理商须按月报送下月销售计划并持有当年独家代理许可证")
ARCHIVE_PENDING = Rule("petrochem.archive_pending_approval", Citation(DOC, "第七条"), "开户审批未完成,尚不能成为公司客户")
ARCHIVE_REJECTED = Rule("petrochem.archive_rejected", Citation(DOC, "第七条"), "开户审批未通过")
ARCHIVE_SUSPENDED = Rule("petrochem.archive_suspended", Citation(DOC, "第十五条"), "资质到期未换证且无证明,暂停业务往来")
ARCHIVE_DISQUALIFIED = Rule("petrochem.archive_disqualified", Citation(DOC, "第十七条"), "取消客户资格")

# Clauses cited by single findings inside an archive decision.
CLAUSE_MATERIALS = "第七条"
CLAUSE_APPROVAL = "第七条"
CLAUSE_EXPIRY = "第十五条"
CLAUSE_EXCLUSIVE = "第十条(三)1(2)"
CLAUSE_DISQUALIFY = "第十七条"

# --- 第十二条 complaints (hb) / 第十一条 (youpin) ----------------------------------------------
COMPLAINT_RULES: dict[str, dict[str, Rule]] = {
    "hb": {
        "general": Rule("petrochem.complaint_general", Citation(DOC, "第十二条(二)(三)"), "一般投诉一个工作日内处理"),
        "major": Rule("petrochem.complaint_major", Citation(DOC, "第十二条(二)(三)"), "较大或严重投诉报请总经理召开专题会议,三个工作日内处理"),
        "extended": Rule("petrochem.complaint_special_approval", Citation(DOC, "第十二条(三)"), "特殊情况经批准最多七个工作日"),
    },
    "youpin": {
        "general": Rule("petrochem.youpin_complaint_general", Citation(DOC_YOUPIN, "第十一条(二)(三)"), "一般投诉一个工作日内处理"),
        "major": Rule("petrochem.youpin_complaint_major", Citation(DOC_YOUPIN, "第十一条(二)(三)"), "较大或严重投诉报请经理办公会召开专题会议,三个工作日内处理"),
        "extended": Rule("petrochem.youpin_complaint_special_approval", Citation(DOC_YOUPIN, "第十一条(三)"), "特殊情况经批准最多七个工作日"),
    },
}

# --- 油品调运分公司 附件1 visit reports, 化工品 第十四条 yearly satisfaction survey ------------------
VISIT_SCORE = Rule("petrochem.visit_report_score", Citation(DOC_YOUPIN, "附件1"), "走访客户报告单评分")
VISIT_AVERAGE = Rule("petrochem.visit_average", Citation(DOC, "第十四条;" + DOC_YOUPIN + " 附件1"), "客户满意度:走访评分按客户按期平均")


def catalogue() -> list[Rule]:
    """Every rule above, in the order they are defined (the plugin's ``rule_catalogue``)."""
    found = [value for value in globals().values() if isinstance(value, Rule)]
    found += [r for table in COMPLAINT_RULES.values() for r in table.values()]
    return found
