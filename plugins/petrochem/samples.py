"""A small, realistic sample for ``zhidu demo``: rows keyed by the Chinese headers a firm's export uses,
for every kind the plugin decides on (customers and their monthly volumes, complaints, dossiers,
August's allocation requests, visit reports and admission applications)."""

from __future__ import annotations

from typing import Any


def _docs(*overrides: dict[str, Any]) -> list[dict[str, Any]]:
    base = {
        "营业执照": {"有效期至": "2030-12-31"},
        "税务登记证(国税)": {"有效期至": "2030-12-31"},
        "税务登记证(地税)": {"有效期至": "2030-12-31"},
        "组织机构代码证": {"有效期至": "2029-06-30"},
        "开票资料": {},
        "客户开户审批表": {},
    }
    for change in overrides:
        for doc_type, values in change.items():
            if values is None:
                base.pop(doc_type, None)
            else:
                base[doc_type] = {**base.get(doc_type, {}), **values}
    return [{"资料类型": doc_type, **values} for doc_type, values in base.items()]


_CHAIN = [
    {"审批环节": "销售部", "审批人": "王经理", "审批日期": "2026-01-05"},
    {"审批环节": "财务部", "审批人": "李会计", "审批日期": "2026-01-06"},
    {"审批环节": "总经理", "审批人": "赵总", "审批日期": "2026-01-08"},
]


def sample_rows() -> dict[str, list[dict[str, Any]]]:
    customers = [
        ("HB001", "沧州塑业有限公司", "经销商", "计划", "普通客户", "3120.500"),
        ("HB002", "保定华塑制品厂", "经销商", "计划", "二星客户", "2999.999"),
        ("HB003", "廊坊恒通包装有限公司", "经销商", "计划", "一星客户", "1000"),
        ("HB004", "石家庄中石管业有限公司", "直销客户", "计划", "", "4200"),
        ("HB005", "衡水新源塑料有限公司", "经销商", "网拍", "", ""),
        ("HB006", "唐山冀东化工有限公司", "经销商", "计划", "三星客户", "980"),
    ]
    customer_rows = [
        {"客户编码": c, "客户名称": n, "客户类别": s, "销售形式": f, "产品线": "聚烯烃", "当前级别": lvl,
         "月份": "2026-10", "月提货量": v}
        for c, n, s, f, lvl, v in customers
    ]
    customer_rows.append({"客户编码": "HB007", "客户名称": "邢台华宇化工贸易有限公司", "客户类别": "独家代理商", "产品线": "其他"})
    # 第十条(一): a styrene buyer with no class registered, classed from the facts the clause names.
    customer_rows.append({"客户编码": "HB009", "客户名称": "任丘华北橡塑有限公司", "产品": "苯乙烯",
                          "直接使用公司产品": "是", "销售其他品牌同类产品": "否"})
    volumes = []
    for code, figures in {
        "HB001": ("3050", "3100", "3120.5"),
        "HB002": ("2600", "2999.999", "3300"),
        "HB003": ("1200", "980", "1000"),
        "HB006": ("3500", "3400", "980"),
    }.items():
        volumes += [{"客户编码": code, "月份": f"2026-{m:02d}", "提货量": v} for m, v in zip((7, 8, 9), figures)]
    complaints = [
        {"投诉编号": "TS2026-001", "投诉客户": "HB001", "投诉时间": "2026-02-13T16:20:00", "投诉级别": "一般",
         "投诉内容": "提货单据打印错误", "处理完成时间": "2026-02-14T10:00:00"},
        {"投诉编号": "TS2026-002", "投诉客户": "HB002", "投诉时间": "2026-09-30T09:15:00", "投诉级别": "较大",
         "特殊情况批准": "true", "投诉内容": "批次熔指偏差,要求退换", "处理完成时间": "2026-10-16T15:00:00"},
        {"投诉编号": "TS2026-003", "投诉客户": "HB006", "投诉时间": "2026-11-02T10:00:00", "投诉级别": "严重",
         "投诉内容": "库位提货排队超过一天,影响生产"},
        {"投诉编号": "TS2026-004", "投诉客户": "HB003", "投诉时间": "2026-11-19T14:00:00", "投诉级别": "一般",
         "投诉内容": "开票信息需更正"},
    ]
    archives = [
        {"档案编号": "DA-HB001", "客户编码": "HB001", "建档日期": "2026-01-08", "资料": _docs(), "审批": _CHAIN},
        {"档案编号": "DA-HB002", "客户编码": "HB002", "建档日期": "2026-01-08",
         "资料": _docs({"营业执照": {"有效期至": "2026-10-31"}}), "审批": _CHAIN},
        {"档案编号": "DA-HB003", "客户编码": "HB003", "建档日期": "2026-03-01",
         "资料": _docs({"税务登记证(地税)": None, "开票资料": {"资料齐全": "false", "备注": "缺开户行账号"}}),
         "审批": _CHAIN[:1]},
        {"档案编号": "DA-HB007", "客户编码": "HB007", "建档日期": "2026-01-08",
         "资料": _docs({"独家代理许可证": {"发证日期": "2026-01-10"}, "下月销售计划": {"收取日期": "2026-09-25"}}),
         "审批": _CHAIN},
        {"档案编号": "DA-HB006", "客户编码": "HB006", "建档日期": "2025-05-20", "资料": _docs(), "审批": _CHAIN},
    ]
    # 第十七条 findings, each with its date and source: HB006's dossier and applicant XS104 are disqualified.
    findings = [
        {"认定编号": "RD2026-003", "客户编码": "HB006", "认定事项": "被司法或行政机关立案查处", "认定日期": "2026-09-14",
         "认定依据": "唐山市市场监督管理局立案告知书", "事实摘要": "涉嫌虚开增值税发票被立案调查"},
        {"认定编号": "RD2026-005", "客户编码": "XS104", "认定事项": "提供虚假信息或欺诈失信", "认定日期": "2026-10-20",
         "认定依据": "销售部资质核查记录", "事实摘要": "开户资料中的营业执照复印件与登记信息不符"},
    ]
    # August's requests (`zhidu allocate --available 5000 --month 2026-08`): the direct customer and
    # the exclusive agent are served in full, the distributors share the rest by completion rate and
    # weekly balance (the last one gets nothing), and a customer whose business is suspended gets nothing.
    allocation_requests = [
        {"客户编码": "HB004", "客户名称": "石家庄中石管业有限公司", "客户类别": "直销客户", "申请量": "1500",
         "提货完成率": "98%", "周提货量": "380;370;375;375"},
        {"客户编码": "HB007", "客户名称": "邢台华宇化工贸易有限公司", "客户类别": "独家代理商", "申请量": "1800",
         "提货完成率": "95%", "配合度": "92", "周提货量": "450;460;440;450"},
        {"客户编码": "HB001", "客户名称": "沧州塑业有限公司", "客户类别": "经销商", "申请量": "1200",
         "提货完成率": "92%", "周提货量": "300;310;290;300"},
        {"客户编码": "HB003", "客户名称": "廊坊恒通包装有限公司", "客户类别": "经销商", "申请量": "800",
         "提货完成率": "92%", "周提货量": "100;500;150;50"},
        {"客户编码": "HB002", "客户名称": "保定华塑制品厂", "客户类别": "经销商", "申请量": "1000.5",
         "提货完成率": "88%"},
        {"客户编码": "HB008", "客户名称": "沧县鑫达塑料制品厂", "客户类别": "经销商", "申请量": "600",
         "提货完成率": "90%", "暂停业务": "是"},
    ]
    # HB002's request gives no 周提货量: its weekly pickup records of July (the month before) are read.
    weekly_pickups = [{"客户编码": "HB002", "周起始日": f"2026-07-{d:02d}", "提货量": v}
                      for d, v in zip((6, 13, 20, 27), ("250", "260", "240", "250"))]
    # 附件1 走访客户报告单 (`zhidu visits`): each report scored, then each customer's yearly mean.
    visit_reports = [
        {"客户编码": "HB001", "客户单位名称": "沧州塑业有限公司", "走访日期": "2026-03-18", "报告单编号": "ZF2026-011",
         "质量": "优良", "服务态度": "良好", "产品的知名度": "驰名"},
        {"客户编码": "HB001", "客户单位名称": "沧州塑业有限公司", "走访日期": "2026-09-22", "报告单编号": "ZF2026-047",
         "质量": "非常优良", "服务态度": "优良", "产品的知名度": "驰名"},
        {"客户编码": "HB002", "客户单位名称": "保定华塑制品厂", "走访日期": "2026-05-12", "报告单编号": "ZF2026-023",
         "质量": "一般", "服务态度": "不好", "产品的知名度": "知名度较高"},
        {"客户编码": "HB007", "客户单位名称": "邢台华宇化工贸易有限公司", "走访日期": "2026-06-30", "报告单编号": "ZF2026-035",
         "质量": "良好", "服务态度": "一般", "产品的知名度": ""},
    ]
    # 第十条 applications (`zhidu admit`): admitted, refused on one condition, and disqualified (第十七条).
    admission_applications = [
        {"客户编码": "XS101", "客户名称": "任丘华北管材有限公司", "客户类别": "直销客户", "生产型企业": "是",
         "直接使用公司产品": "是", "具有一定生产规模": "是", "资金诚信良好": "是"},
        {"客户编码": "XS102", "客户名称": "邯郸冀南化工贸易有限公司", "客户类别": "独家代理商", "经营区域": "邯郸",
         "经营理念稳健诚信": "是", "资金实力较强": "是", "市场信誉和经营能力优良": "是", "只经营本公司化工产品": "否"},
        {"客户编码": "XS103", "客户名称": "秦皇岛海港塑料经销部", "客户类别": "经销商", "经营区域": "秦皇岛",
         "经营理念稳健诚信": "是", "资金实力较强": "是", "市场信誉和经营能力优良": "是", "只经营本公司化工产品": "否"},
        {"客户编码": "XS104", "客户名称": "张家口北方塑胶有限公司", "客户类别": "直销客户", "生产型企业": "是",
         "直接使用公司产品": "是", "具有一定生产规模": "是", "资金诚信良好": "是"},
    ]
    return {"customer": customer_rows, "monthly_volume": volumes, "complaint": complaints, "archive": archives, "customer_finding": findings,
            "allocation_request": allocation_requests, "weekly_pickup": weekly_pickups, "visit_report": visit_reports,
            "admission_application": admission_applications}
