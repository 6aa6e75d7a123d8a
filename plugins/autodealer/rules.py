"""Rule table of the autodealer plugin: every rule it applies, with its document and clause.

Two kinds of rules: the *checks* (one per requirement of the text: a finding inside an audit names
its check's rule id and clause) and the *decision* rules a command's decisions are filed under (a
file's audit, a person's month of fines, a department's rates). Clause numbers follow each text's
own outline: 汽车客户管理制度·客户档案管理制度 ``五(二)2(3)`` is 五、(二)服务档案 → 2、检查标准 →
(3)《结算单》; 客户管理制度14 ``五.6`` is 五、违规处罚管理条例 item 6.
"""

from __future__ import annotations

from ...core.decisions import Citation, Rule
from .vocabulary import FAW_VW, SKODA

PLUGIN = "autodealer"

DOC_FAW = "汽车客户管理制度·客户档案管理制度"
DOC_SKODA = "客户管理制度14"
DOCUMENT_TITLES = {FAW_VW: DOC_FAW, SKODA: DOC_SKODA}

# key: (policy, clause, title, category of the findings it makes)
# category: completeness 完整性, authenticity 真实性, timeliness 及时性, procedure 流程, penalty 处罚
_TABLE: dict[str, tuple[str, str, str, str]] = {
    # --- FAW-VW sales file 五(一) ---------------------------------------------------------------
    "faw_sales_missing_document": (FAW_VW, "五(一)1", "销售档案七项资料齐全(PDI保养表含预PDI与出库PDI)", "completeness"),
    "faw_sales_order": (FAW_VW, "五(一)1", "销售档案按规定顺序整理", "completeness"),
    "faw_delivery_form": (FAW_VW, "五(一)2(1)", "《客户交车表》填写完整,不需填写处标注“无”或打√", "completeness"),
    "faw_invoice_pdi_gap": (FAW_VW, "五(一)2(2)", "发票日期与PDI盖章证明日期相符(最多相差24小时)", "authenticity"),
    "faw_buyer_name": (FAW_VW, "五(一)2(2)、2(4)", "发票购车单位与身份证/组织机构代码证名称一致", "authenticity"),
    "faw_pdi_stamp_date": (FAW_VW, "五(一)2(3)、2(7)", "PDI盖章证明日期与出库PDI保养表日期相同", "authenticity"),
    "faw_certificate_legible": (FAW_VW, "五(一)2(5)", "《合格证复印件》清晰", "completeness"),
    "faw_agreement": (FAW_VW, "五(一)2(6)", "《购车协议书》填写完整,有销售合同章、骑缝章及销售经理或销售总监签字", "completeness"),
    "faw_pdi_signatures": (FAW_VW, "五(一)2(7)", "预PDI三人签字,出库PDI五人签字", "completeness"),
    "faw_pdi_signature_dates": (FAW_VW, "五(一)2(7)", "出库PDI执行人和终检人签字有日期且签字日期一致", "authenticity"),
    "faw_tyre_pressure": (FAW_VW, "五(一)2(7)", "胎压以厂家ELSA设定值/车型标签规定为准", "authenticity"),
    "faw_sales_deadline": (FAW_VW, "五(一)3(1)", "销售档案每周一交至客服部;不能及时上交须说明原因、承诺时间并有销售经理签字", "timeliness"),
    # --- FAW-VW service file 五(二) --------------------------------------------------------------
    "faw_service_missing_document": (FAW_VW, "五(二)1", "服务档案资料齐全;首保和索赔用户须有保修证明和保养证明复印件", "completeness"),
    "faw_service_order": (FAW_VW, "五(二)1", "服务档案按规定顺序整理", "completeness"),
    "faw_first_service_voucher": (FAW_VW, "五(二)2(1)", "《首保凭证》填写完整并加盖公章", "completeness"),
    "faw_work_order_items": (FAW_VW, "五(二)2(2)", "任务委托书所有项目填写齐全,不漏项(5-单子除外)", "completeness"),
    "faw_plate": (FAW_VW, "五(二)2(2)", "车牌号码填写完整,不允许只写“吉A”", "completeness"),
    "faw_production_date": (FAW_VW, "五(二)2(2)", "生产日期按行车证登记日期填写,不能出现1900/00/00或手写涂改", "authenticity"),
    "faw_contact_phone": (FAW_VW, "五(二)2(2)", "客户联系方式与委托书打印电话相符并经客户确认", "authenticity"),
    "faw_technician_signature": (FAW_VW, "五(二)2(2)", "主修人在指定位置签字,修理多项只签一次须明确标识", "completeness"),
    "faw_inspection_times": (FAW_VW, "五(二)2(2)", "质检员、组长签字有签字时间并注意时间顺序;第二天修完填写日期和时间", "completeness"),
    "faw_item_changes": (FAW_VW, "五(二)2(2)", "维修项目更改由客户确认签字;增项填写增项报价单并确认签字", "completeness"),
    "faw_work_order_signature": (FAW_VW, "五(二)2(2)", "任务委托书客户签名处有用户签字", "completeness"),
    "faw_estimate": (FAW_VW, "五(二)2(2)", "预估价格与实收价格上下不超过10%,有工时、备件费用及合计数(5-单子除外)", "authenticity"),
    "faw_settlement_items": (FAW_VW, "五(二)2(3)", "结算单修理项目及备件与任务委托书相符(5-单子除外)", "authenticity"),
    "faw_settlement_stamp": (FAW_VW, "五(二)2(3)", "结算单加盖财务章(无消费发生除外)", "completeness"),
    "faw_settlement_signatures": (FAW_VW, "五(二)2(3)", "结算单有两次用户签字", "completeness"),
    "faw_settlement_suggestions": (FAW_VW, "五(二)2(3)", "结算单有建议修理项目,且与交车检查表维修建议一致", "authenticity"),
    "faw_mileage_duties": (FAW_VW, "五(二)2(3)", "29000-31000km、59000-61000km未更换的项目须在建议项目中体现", "completeness"),
    "faw_tyre_pressure_service": (FAW_VW, "五(二)2(4)", "胎压以规定值为准(备胎以胎壁最高压力,普通胎以后轮满载等)", "authenticity"),
    "faw_units": (FAW_VW, "五(二)2(4)", "测量值单位填写完整(如2.5Bar、6.5MM)", "completeness"),
    "faw_tread_depth": (FAW_VW, "五(二)2(4)", "轮胎花纹深度低于3.0mm报建议更换", "completeness"),
    "faw_maintenance_sheet": (FAW_VW, "五(二)2(4)", "保养表无空白项,执行人和终检人签字有日期,有用户签字,备胎胎压标明", "completeness"),
    "faw_handover_check": (FAW_VW, "五(二)2(5)", "接/交车检查表用户签字2次,有维修建议及使用建议,无漏填,里程以万公里填写", "completeness"),
    "faw_test_drive": (FAW_VW, "五(二)2(6)", "除2-保养工单外有试车单,填写完整,有试车批准人、试车人和用户签字", "completeness"),
    "faw_rescue_form": (FAW_VW, "五(二)2(7)", "救援单无空白项,上班期间救援有相关领导签字", "completeness"),
    "faw_service_deadline": (FAW_VW, "五(二)4(1)(2)", "服务档案每天上午10:00之前交售后信息员(在修和未结算除外)", "timeliness"),
    "faw_correction": (FAW_VW, "五(二)4(5)", "不合格档案收到后24小时内修改上交,否则每次KPI扣1分", "timeliness"),
    "faw_unchanged_return": (FAW_VW, "五(二)4(6)", "不合格档案未做更改原封返回,每份KPI扣1分", "procedure"),
    "faw_damaged_file": (FAW_VW, "五(二)4(3)", "档案缺失及破损,对责任人KPI扣分", "completeness"),
    "faw_favouritism": (FAW_VW, "五(二)4(7)", "档案管理员和服务顾问徇私舞弊,各罚款10元/份", "authenticity"),
    "faw_document_flags": (FAW_VW, "五", "资料填写完整、清晰、无涂改(记录在资料上的问题)", "completeness"),
    "faw_unknown_document": (FAW_VW, "五(一)1、五(二)1", "档案中不在规定资料之列的资料", "procedure"),
    # --- FAW-VW master data 五(二)3 --------------------------------------------------------------
    "faw_dserp_required": (FAW_VW, "五(二)3", "dserp必须维护的字段", "completeness"),
    "faw_dserp_names": (FAW_VW, "五(二)3", "车主姓名和联系人姓名维护成姓氏+名字,不得维护某女士/先生", "authenticity"),
    "faw_dserp_address": (FAW_VW, "五(二)3", "地址按省、市(区)、县逐级维护,精确到门牌号,农村精确到村", "completeness"),
    # --- FAW-VW counts, retention, targets, KPI ----------------------------------------------------
    "faw_count_sales": (FAW_VW, "五(一)3(2)、二.4", "销售档案数量与扫AAK系统数量相符(用户未开发票除外)", "completeness"),
    "faw_count_service": (FAW_VW, "五(二)4(3)、二.4", "服务档案数量与小R3系统数量相符(索赔和在修除外)", "completeness"),
    "faw_unreported": (FAW_VW, "二.5", "特殊情况未上交的档案填写《未上报记录》注明原因", "procedure"),
    "faw_count_summary": (FAW_VW, "二.4", "上交档案数量与系统数量核对", "completeness"),
    "faw_retention": (FAW_VW, "四.1、四.2", "在修车辆按末次维修期延长5年保管;3年内无维修保养记录的自建档起保管5年,期满转入档案库封存", "procedure"),
    "faw_quality_targets": (FAW_VW, "五(二)5", "档案完整性99%以上,真实性95%以上", "completeness"),
    "faw_kpi": (FAW_VW, "五(一)3(2)(3)、五(二)4(3)-(7)", "档案缺失、不合格、逾期改正、原封返回的KPI扣分及徇私舞弊罚款", "penalty"),
    "faw_kpi_unqualified": (FAW_VW, "五(一)3(3)、五(二)4(4)", "每份不合格档案按KPI考核扣分", "penalty"),
    # --- Skoda 客户管理制度14 ------------------------------------------------------------------------
    "skoda_new_car_documents": (SKODA, "四.1", "新车档案构成十二项(第12项只对特定客户)", "completeness"),
    "skoda_green_card": (SKODA, "四.1 1)", "绿卡含客户名称、联系人、联系手机及电话(座机加区号)、联系地址", "completeness"),
    "skoda_id_copy": (SKODA, "四.1 4)", "身份证复印件需两面", "completeness"),
    "skoda_inspection_signature": (SKODA, "五.2", "销售顾问移交的检查类档案须有用户签名,无签名或签名错误罚20元/项", "completeness"),
    "skoda_sales_deadline": (SKODA, "四.1、五.1", "新车档案交车后3个工作日内交客户关爱部,超过罚50元/车次", "timeliness"),
    "skoda_service_documents": (SKODA, "四.2", "各维修类别售后档案的资料构成", "completeness"),
    "skoda_service_attachments": (SKODA, "四.2", "结算单括号内所列附件", "completeness"),
    "skoda_service_deadline": (SKODA, "四.2、五.4", "售后档案交车后1个工作日内移交,未移交或未补齐全套罚50元/车次", "timeliness"),
    "skoda_contact": (SKODA, "五.3", "服务顾问每次接修核对、明确当次联系人及唯一联系方式,否则罚50元/车次", "authenticity"),
    "skoda_document_defect": (SKODA, "五.5", "移交的档案不完整、错误、不符合要求,罚20元/项", "completeness"),
    "skoda_customer_signature": (SKODA, "五.5", "无用户签名或签名错误,罚50元/项", "completeness"),
    "skoda_staff_signature": (SKODA, "五.5", "无内部人员签名或签名错误,罚20元/项", "completeness"),
    "skoda_sales_document_defect": (SKODA, "四.1", "新车档案资料不完整或不符合要求(本制度对销售顾问此项未设罚款)", "completeness"),
    "skoda_handover_register": (SKODA, "四.1、四.2", "交接双方在《用户档案签收薄》签字确认", "procedure"),
    "skoda_lost_file": (SKODA, "五.7", "造成用户档案遗失、毁损的,另罚款20元/件", "penalty"),
    "skoda_correction": (SKODA, "五.10", "一个工作日内未改正的视同再次违规,同额同等再次处罚,直至改正", "penalty"),
    "skoda_doubling": (SKODA, "五.6", "销售顾问一月内第2次、服务顾问第3次违规起罚款翻倍;服务顾问可扣罚当月绩效工资10%-30%", "penalty"),
    "skoda_fines": (SKODA, "五.1-五.7、五.10", "违规处罚:按车次、按项罚款,月内累计翻倍,逾期未改正再次处罚", "penalty"),
    "skoda_department_rates": (SKODA, "五.8", "各部门档案上交及时率和完整率纳入部门负责人绩效考核", "completeness"),
    "skoda_unknown_document": (SKODA, "四.1、四.2", "档案中不在规定资料之列的资料", "procedure"),
    # --- what a document does not say -------------------------------------------------------------
    "skoda_no_count_rule": (SKODA, "四、五(无档案数量核对条款)", "客户管理制度14未规定与系统数量核对", "procedure"),
    "skoda_no_master_data_rule": (SKODA, "四.1 1)、二.5(无主数据字段条款)", "客户管理制度14未规定DSERP主数据字段", "procedure"),
    "skoda_no_retention_rule": (SKODA, "二(无保管期限条款)", "客户管理制度14未规定档案保管期限", "procedure"),
}

RULES: dict[str, Rule] = {
    key: Rule(f"{PLUGIN}.{key}", Citation(DOCUMENT_TITLES[policy], clause), title) for key, (policy, clause, title, _cat) in _TABLE.items()
}
CATEGORY: dict[str, str] = {key: cat for key, (_p, _c, _t, cat) in _TABLE.items()}

# Decision rules (the rule a command's decision is filed under).
AUDIT_RULES = {
    (FAW_VW, "sales"): Rule(f"{PLUGIN}.faw_sales_file", Citation(DOC_FAW, "五(一)"), "销售档案管理检查标准及要求"),
    (FAW_VW, "service"): Rule(f"{PLUGIN}.faw_service_file", Citation(DOC_FAW, "五(二)"), "服务档案管理检查标准及要求"),
    (SKODA, "sales"): Rule(f"{PLUGIN}.skoda_new_car_file", Citation(DOC_SKODA, "四.1、五"), "新车档案的移交与处罚"),
    (SKODA, "service"): Rule(f"{PLUGIN}.skoda_service_file", Citation(DOC_SKODA, "四.2、五"), "售后档案的移交与处罚"),
}


def rule(key: str) -> Rule:
    return RULES[key]


def clause(key: str) -> str:
    """The full citation of a check, as findings carry it (document title and clause)."""
    return str(RULES[key].citation)


def all_rules() -> list[Rule]:
    """Every rule of the plugin (checks and decision rules), for the README table and the tests."""
    return [*RULES.values(), *AUDIT_RULES.values()]
