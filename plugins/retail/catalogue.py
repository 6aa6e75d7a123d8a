"""The rule table of the retail plugin: the staff-conduct catalogue (data, one entry per rule) and
the rules of leave, uniforms, VIP customers, complaint handling and the monthly store summary.

The store rules are stated twice in the source, with the same wording and numbers:

- ``sales``: 销售客户管理制度 (Document 000), 篇2 店铺制度, 篇4 工牌与工服, 篇5 员工准则, 篇6 仪容仪表;
- ``doc9``: 客户管理制度9 (Document 002, 第四篇), parts 1 (准则), 2 (仪容仪表), 3 (工牌与工服), 4 (店铺制度).

A store-rule decision cites the preset's document (parameter ``document``); the catalogue holds both
citations under one rule id. 客户管理制度3 (customer-service staff), 客户管理制度12 第十四章
(complaint handling) and vip客户管理制度 exist in Document 002 only. The source is in traditional
script; titles and clauses are cited in simplified characters.

Every conduct entry names its **sanction track**, the consequence the text attaches to a breach:

- ``warning`` 篇4第5条: first offence a verbal warning, serious a written warning (the only sanction the text fixes);
- ``administrative`` 篇2第4条: "根据行政管理制度予以处罚";
- ``relevant_rules`` 篇2第6条: "按有关规定给予处罚";
- ``severe`` 篇2第12条: "严厉处罚";
- ``by_seriousness`` 篇4第4条: "视情节严重给予处罚";
- ``rewards_penalties``: "依据奖惩条例予以处罚": 篇5第9条 for breaches of 篇5, and (reading) for breaches of the
  store rules whose clause names no sanction, through 篇5第2条 (遵守店铺管理制度) and 篇5第9条;
- ``compensation`` 篇4第1条/第3条: a uniform damaged, lost or not returned is compensated (the ``uniforms`` command);
- ``not_effective`` 篇2第2条: leave not asked a day ahead of the store manager does not take effect (the ``leave`` command).

Where a track points to another rulebook the sanction is the company's (parameters ``sanctions`` and
``track_sanctions``), never one the plugin makes up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.decisions import Citation, Rule

PLUGIN = "retail"

SALES = "销售客户管理制度"
DOC9 = "客户管理制度9"
CS = "客户管理制度3"
COMPLAINTS = "客户管理制度12"
VIP = "vip客户管理制度"

DOCUMENTS = {"sales": SALES, "doc9": DOC9}

CATEGORIES = {
    "attendance": "考勤纪律",
    "uniform_badge": "工服工牌",
    "grooming": "仪容仪表",
    "hygiene": "卫生饮食",
    "honesty_property": "诚信与财物",
    "confidentiality": "保密",
    "phone_post": "电话与岗位",
    "floor_behaviour": "卖场行为",
    "obedience": "服从管理",
    "service_manners": "服务礼仪",
}

EVIDENCE_LABELS = {
    "manager_observation": "店长观察",
    "attendance_record": "考勤记录",
    "bag_check": "包裹检查",
    "system_log": "系统日志",
}

TRACKS = {
    "warning": "初犯口头警告,严重者书面警告",
    "administrative": "根据行政管理制度予以处罚",
    "relevant_rules": "按有关规定给予处罚",
    "severe": "严厉处罚",
    "by_seriousness": "视情节严重给予处罚",
    "rewards_penalties": "依据奖惩条例予以处罚",
    "compensation": "按规定或六折赔偿工服",
    "not_effective": "请假不生效",
}

#: The rulebook a track points to (None: the text itself decides, or no rulebook is named).
RULEBOOKS = {
    "administrative": "行政管理制度",
    "relevant_rules": "有关规定",
    "rewards_penalties": "奖惩条例",
}

#: Tracks whose sanction the company configures (parameters ``sanctions`` / ``track_sanctions``).
CONFIGURED_TRACKS = ("administrative", "relevant_rules", "severe", "by_seriousness", "rewards_penalties")

#: The clause that carries the 奖惩条例 sanction for store rules without one of their own.
SANCTION_BASIS = {"sales": "篇5第2条、第9条", "doc9": "第1部分第2条、第9条"}
CS_SANCTION_BASIS = f"{DOC9} 第1部分第2条、第9条"


@dataclass(frozen=True)
class ConductRule:
    """One entry of the staff-conduct catalogue."""

    key: str
    title: str
    category: str
    evidence: tuple[str, ...]
    track: str
    clauses: dict[str, tuple[str, str]]  # preset document -> (document title, clause)
    keywords: tuple[str, ...] = ()
    note: str = ""
    # Whose sanction basis applies when the clause itself names none: "store" (篇5第2条、第9条 of
    # the preset's document), "cs" (客户管理制度9 第1部分第2条、第9条), or "" (the clause's own).
    basis: str = ""

    @property
    def rulebook(self) -> str | None:
        return RULEBOOKS.get(self.track)

    def citation(self, doc: str) -> Citation:
        title, clause = self.clauses.get(doc) or next(iter(self.clauses.values()))
        return Citation(title, clause)

    def sanction_basis(self, doc: str) -> str | None:
        if self.basis == "store":
            return f"{DOCUMENTS[doc]} {SANCTION_BASIS[doc]}"
        if self.basis == "cs":
            return CS_SANCTION_BASIS
        return None


def _store(sales: str, doc9: str) -> dict[str, tuple[str, str]]:
    return {"sales": (SALES, sales), "doc9": (DOC9, doc9)}


def _cs(clause: str) -> dict[str, tuple[str, str]]:
    return {"sales": (CS, clause), "doc9": (CS, clause)}


_OBS = ("manager_observation",)

CONDUCT: tuple[ConductRule, ...] = (
    # --- 篇2 店铺制度 (客户管理制度9 第4部分) ------------------------------------------------------
    ConductRule("service_first", "遵守仪容仪表着穿规定,提供优良服务,以客为先", "grooming", _OBS, "rewards_penalties",
                _store("篇2第1条", "第4部分第1条"), ("以客为先", "着穿不合规定"), basis="store"),
    ConductRule("attendance", "依时上下班,遵守轮班,不无故迟到、早退、旷工", "attendance", ("attendance_record",), "rewards_penalties",
                _store("篇2第2条", "第4部分第2条"), ("迟到", "早退", "旷工", "轮班", "擅自调班", "未打卡"), basis="store"),
    ConductRule("leave_notice", "请假须提前一天向店长申请,经批准后方可生效", "attendance", ("attendance_record",), "not_effective",
                _store("篇2第2条", "第4部分第2条"), ("请假",),
                note="原文的后果是请假不生效;缺勤按本条考勤规定另行认定"),
    ConductRule("personal_items", "工作时间个人物品存放在指定地点", "honesty_property", _OBS, "rewards_penalties",
                _store("篇2第3条", "第4部分第3条"), ("个人物品", "私人物品"), basis="store"),
    ConductRule("bag_check", "下班接受店长或指定检查员检查私人包裹,随时接受储物柜清检", "honesty_property", ("bag_check",),
                "rewards_penalties", _store("篇2第3条", "第4部分第3条"), ("拒绝*检查", "拒检", "不接受*检查", "逃避*检查"), basis="store"),
    ConductRule("leak_store_data", "未经公司同意不得向外泄露公司或店铺资料(尤其是销售额)", "confidentiality",
                ("manager_observation", "system_log"), "administrative", _store("篇2第4条", "第4部分第4条"),
                ("泄露*销售", "透露*销售", "告知*销售额", "泄露*资料", "透露*资料", "泄露文件"),
                note="篇5第4条(客户管理制度9 第1部分第4条)的保密义务指同一行为;篇2第4条自带处罚依据,从其规定"),
    ConductRule("hygiene_food", "保持口腔卫生,不喝酒、不吃有异味的食物;营业中不吸烟、不吃零食", "hygiene", _OBS, "rewards_penalties",
                _store("篇2第5条", "第4部分第5条"), ("喝酒", "饮酒", "异味食物", "吸烟", "抽烟", "吃零食", "口腔"), basis="store"),
    ConductRule("private_use_theft", "严禁私用、盗窃公司货品及其他物品", "honesty_property", ("bag_check", "manager_observation"),
                "relevant_rules", _store("篇2第6条", "第4部分第6条"), ("私用", "盗窃", "偷窃", "私拿", "偷拿", "未付款", "私自拿走")),
    ConductRule("obedience", "不得以任何理由拒绝上司合理的工作安排,尊重上司", "obedience", _OBS, "rewards_penalties",
                _store("篇2第7条", "第4部分第7条"), ("拒绝工作安排", "拒绝上司", "不服从安排", "顶撞上司"), basis="store"),
    ConductRule("floor_behaviour", "工作时间不得在工作场所说笑、打闹、争吵、赌博、酗酒、追逐、大声喧哗、当堂整理着装、化妆及有损形象的行为",
                "floor_behaviour", _OBS, "rewards_penalties", _store("篇2第8条", "第4部分第8条"),
                ("说笑", "打闹", "争吵", "赌博", "酗酒", "追逐", "喧哗", "当堂整理着装", "当堂化妆"),
                note="本条也列吸烟;“吸烟”按第5条(营业中不准吸烟)认定,避免一事两条", basis="store"),
    ConductRule("phone_private", "工作时间不得用公司电话做私人用途,不得随便把店铺电话告诉无关之人", "phone_post",
                ("manager_observation", "system_log"), "rewards_penalties", _store("篇2第9条", "第4部分第9条"),
                ("私人电话", "公司电话", "店铺电话"), basis="store"),
    ConductRule("leave_post", "工作时间不得擅自离岗或随便串岗", "phone_post", _OBS, "rewards_penalties",
                _store("篇2第10条", "第4部分第10条"), ("离岗", "串岗", "窜岗", "脱岗"), basis="store"),
    ConductRule("register_purchased", "穿着已购买的公司服饰回店须向主管或店长登记款号", "honesty_property", ("manager_observation", "bag_check"),
                "rewards_penalties", _store("篇2第11条", "第4部分第11条"), ("登记款号", "已购服饰"), basis="store"),
    ConductRule("computer_data", "严禁擅自修改、泄露、盗窃公司或店铺电脑数据", "confidentiality", ("system_log",), "severe",
                _store("篇2第12条", "第4部分第12条"), ("电脑数据", "修改*数据", "系统数据", "盗取*数据", "删除*数据")),
    ConductRule("keep_items", "工作时间不得代他人存放物品;顾客所购商品暂存须做好登记", "honesty_property", _OBS, "rewards_penalties",
                _store("篇2第13条", "第4部分第13条"), ("代他人存放", "代存", "暂存未登记"), basis="store"),
    ConductRule("store_interest", "个人利益与店铺利益冲突时以店铺利益为先", "honesty_property", _OBS, "rewards_penalties",
                _store("篇2第14条", "第4部分第14条"), ("个人利益",), basis="store"),
    # --- 篇4 工牌与工服 (客户管理制度9 第3部分) ----------------------------------------------------
    ConductRule("uniform_not_worn", "在规定时间内未按公司或店铺要求统一穿着工服", "uniform_badge", _OBS, "warning",
                _store("篇4第1条、第5条", "第3部分第1条、第5条"), ("未穿工服", "没穿工服", "未按要求穿着工服", "未着工服")),
    ConductRule("uniform_damage", "因保管不善造成工服破损或丢失,按规定赔偿", "uniform_badge", _OBS, "compensation",
                _store("篇4第1条", "第3部分第1条"), ("工服破损", "工服丢失", "工服损坏")),
    ConductRule("badge_not_worn", "工作时间内必须佩戴工牌,注意个人仪容仪表", "uniform_badge", _OBS, "rewards_penalties",
                _store("篇4第2条", "第3部分第2条"), ("未戴工牌", "没戴工牌", "未佩戴工牌", "未佩带工牌"), basis="store"),
    ConductRule("uniform_return", "离职时必须退回工服,未退回按六折赔偿", "uniform_badge", _OBS, "compensation",
                _store("篇4第3条", "第3部分第3条"), ("未退回工服", "未退工服", "工服未退")),
    ConductRule("badge_misuse", "利用工牌在外做不正当的事", "uniform_badge", _OBS, "by_seriousness",
                _store("篇4第4条", "第3部分第4条"), ("利用工牌",)),
    # --- 篇5 员工准则 (客户管理制度9 第1部分); 第9条: 依据奖惩条例予以处罚 ---------------------------------
    ConductRule("service_ethics", "具有服务意识与职业道德,塑造良好品牌形象", "service_manners", _OBS, "rewards_penalties",
                _store("篇5第1条、第9条", "第1部分第1条、第9条"), ("职业道德",)),
    ConductRule("obey_rules", "遵守国家法律法规、公司规章制度和店铺管理制度", "obedience", _OBS, "rewards_penalties",
                _store("篇5第2条、第9条", "第1部分第2条、第9条"), ("违反规章",),
                note="事件的违反条款写“其他”时按本条:违反公司或店铺其他规章"),
    ConductRule("obey_superiors", "不明事项服从各级主管,与同事和睦相处,公平对待下属和新员工", "obedience", _OBS, "rewards_penalties",
                _store("篇5第3条、第9条", "第1部分第3条、第9条"), ("同事不和", "欺负新员工", "不公平对待")),
    ConductRule("self_dealing", "不得利用职务之便图谋私利", "honesty_property", _OBS, "rewards_penalties",
                _store("篇5第4条、第9条", "第1部分第4条、第9条"), ("图谋私利", "职务之便"),
                note="本条前半句(保密)与篇2第4条同一行为,按篇2第4条"),
    ConductRule("courtesy", "对待工作与顾客谦恭诚恳,不推诿,不意气用事,不故意刁难顾客", "service_manners", _OBS, "rewards_penalties",
                _store("篇5第5条、第9条", "第1部分第5条、第9条"), ("推诿", "意气用事", "刁难顾客", "态度恶劣")),
    ConductRule("work_quality", "完善各项工作及服务品质,提高工作绩效", "service_manners", _OBS, "rewards_penalties",
                _store("篇5第6条、第9条", "第1部分第6条、第9条"), ("服务品质",)),
    ConductRule("care_property", "爱惜公司与店内财物,控制费用支出,杜绝浪费", "honesty_property", _OBS, "rewards_penalties",
                _store("篇5第7条、第9条", "第1部分第7条、第9条"), ("浪费", "损坏财物", "损坏公物")),
    ConductRule("unauthorised_files", "非经核准不得阅览本职范围以外的公司文件或传播不确消息", "confidentiality",
                ("manager_observation", "system_log"), "rewards_penalties", _store("篇5第8条、第9条", "第1部分第8条、第9条"),
                ("阅览公司文件", "传播不确消息", "散布谣言", "传播谣言")),
    # --- 篇6 仪容仪表 (客户管理制度9 第2部分) -----------------------------------------------------
    ConductRule("hair", "头发整齐、清洁,头饰与工服、发型搭配得当", "grooming", _OBS, "rewards_penalties",
                _store("篇6第1条", "第2部分第1条"), ("头发", "头饰"), basis="store"),
    ConductRule("makeup_nails_beard", "女同事按公司化妆标准化妆、不留长指甲;男同事不留胡子", "grooming", _OBS, "rewards_penalties",
                _store("篇6第2条", "第2部分第2条"), ("长指甲", "胡子", "化妆标准", "未化妆"), basis="store"),
    ConductRule("body_odour", "有体味者适当涂止汗露", "grooming", _OBS, "rewards_penalties",
                _store("篇6第3条", "第2部分第3条"), ("体味",), basis="store"),
    ConductRule("uniform_clean", "制服干净、整洁,不能有异味", "grooming", _OBS, "rewards_penalties",
                _store("篇6第4条", "第2部分第4条"), ("制服不洁", "制服有异味", "制服不整洁", "工服不整洁"), basis="store"),
    ConductRule("footwear", "店员不能穿厚底鞋、拖鞋", "grooming", _OBS, "rewards_penalties",
                _store("篇6第5条", "第2部分第5条"), ("厚底鞋", "拖鞋"), basis="store"),
    # --- 客户管理制度3: 客服部人员 ----------------------------------------------------------------------
    ConductRule("cs_service_attitude", "客服人员保持良好服务素养,加强专业知识,传递公司服务理念", "service_manners", _OBS,
                "rewards_penalties", _cs("客服部人员的管理第1条至第3条"), ("服务素养",), basis="cs"),
    ConductRule("cs_meetings", "客服人员积极参加公司有关会议,严格执行上级下达的服务指令", "service_manners", _OBS, "rewards_penalties",
                _cs("客服部人员的管理第4条"), ("不参加会议", "不执行服务指令"), basis="cs"),
    ConductRule("cs_desk", "时刻保持桌面干净、整洁", "service_manners", _OBS, "rewards_penalties",
                _cs("客服部门日常行为规范第1条"), ("桌面",), basis="cs"),
    ConductRule("cs_appearance", "穿着得体大方,佩戴好工作牌,保持良好个人形象", "service_manners", _OBS, "rewards_penalties",
                _cs("客服部门日常行为规范第2条"), ("工作牌", "穿着不得体"), basis="cs"),
    ConductRule("cs_phone", "接听电话及时,态度热情、端正、有礼貌", "service_manners", ("manager_observation", "system_log"),
                "rewards_penalties", _cs("客服部门日常行为规范第3条"), ("接听电话", "接电话", "电话态度"), basis="cs"),
    ConductRule("cs_distraction", "工作时间不得看视频、听歌,禁止吃零食等与工作不相干的事", "service_manners",
                ("manager_observation", "system_log"), "rewards_penalties", _cs("客服部门日常行为规范第4条"),
                ("看视频", "听歌"), note="“吃零食”按篇2第5条认定;客服人员可在违反条款中写明本条", basis="cs"),
    ConductRule("cs_private_resources", "不得利用公司资源做私人事情", "service_manners", ("manager_observation", "system_log"),
                "rewards_penalties", _cs("客服部门日常行为规范第5条"), ("公司资源",), basis="cs"),
)

CONDUCT_BY_KEY = {entry.key: entry for entry in CONDUCT}

#: An incident whose rule is written "其他" (any other breach) is a breach of 篇5第2条.
OTHER_BREACH = "obey_rules"

# --- the rules of the other commands ------------------------------------------------------------------

_OTHER: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    # conduct: an incident that names no rule the catalogue holds
    "conduct_unmatched": ("行为未能对应到具体条款,待店长认定", _store("篇5第2条、第9条", "第1部分第2条、第9条")),
    # the store and month summary
    "store_month": ("门店月度违纪、处罚与工服赔偿汇总", _store("篇2、篇4、篇5、篇6", "第1部分至第4部分")),
}

_VIP: dict[str, tuple[str, str]] = {
    "vip_class": ("店长对每个VIP顾客筛选分类(A、B、C、D)并建立麦凯66顾客档案", "第2条"),
    "vip_not_configured": ("VIP分类标准未配置:原文只列类别,未定标准", "第2条"),
}

_COMPLAINT: dict[str, tuple[str, str]] = {
    "complaint_listen": ("听清楚:耐心听完,不打断,不急于表态", "第十四章一"),
    "complaint_ask": ("问清楚:进一步问清情况,不与顾客正面辩驳", "第十四章二"),
    "complaint_follow": ("跟清楚:受理者一跟到底,直到问题解决并回复;不能解决的确定下次回复时间", "第十四章三"),
    "complaint_reply": ("复清楚:按时把处理过程及结果回复顾客", "第十四章四"),
    "complaint_record": ("记清楚:处理后记录于《顾客投诉记录》", "第十四章五"),
    "complaint_report": ("报告:重大投诉务必马上报告部门负责人或分管经理", "第十四章六"),
}

#: The six steps in the text's order, each with its rule key.
COMPLAINT_STEPS = ("listen", "ask", "follow", "reply", "record", "report")

_CACHE: dict[tuple[str, str], Rule] = {}


def rule(key: str, doc: str = "sales") -> Rule:
    """The rule ``key`` as the preset's document ``doc`` ("sales" or "doc9") cites it."""
    cached = _CACHE.get((key, doc))
    if cached is not None:
        return cached
    if key in CONDUCT_BY_KEY:
        entry = CONDUCT_BY_KEY[key]
        found = Rule(f"{PLUGIN}.{key}", entry.citation(doc), entry.title)
    elif key in _OTHER:
        title, clauses = _OTHER[key]
        document, clause = clauses[doc]
        found = Rule(f"{PLUGIN}.{key}", Citation(document, clause), title)
    elif key in _VIP:
        title, clause = _VIP[key]
        found = Rule(f"{PLUGIN}.{key}", Citation(VIP, clause), title)
    else:
        title, clause = _COMPLAINT[key]
        found = Rule(f"{PLUGIN}.{key}", Citation(COMPLAINTS, clause), title)
    _CACHE[(key, doc)] = found
    return found


def catalogue() -> list[Rule]:
    """Every rule with every citation (a store rule once per document): the ``rule_catalogue`` hook."""
    rules: list[Rule] = []
    for key in (*CONDUCT_BY_KEY, *_OTHER):
        for doc in DOCUMENTS:
            found = rule(key, doc)
            if found not in rules:
                rules.append(found)
    rules.extend(rule(key) for key in (*_VIP, *_COMPLAINT))
    return rules


def conduct_rows(doc: str | None = None) -> list[dict[str, Any]]:
    """The staff-conduct catalogue as rows (``zhidu retail-rules``): one per rule and document."""
    rows = []
    for entry in CONDUCT:
        for preset, (document, clause) in entry.clauses.items():
            if doc is not None and preset != doc:
                continue
            if doc is None and preset == "doc9" and entry.clauses["doc9"] == entry.clauses["sales"]:
                continue
            rows.append({
                "rule_id": f"{PLUGIN}.{entry.key}",
                "document": document,
                "clause": clause,
                "title": entry.title,
                "category": entry.category,
                "category_zh": CATEGORIES[entry.category],
                "evidence": [EVIDENCE_LABELS[e] for e in entry.evidence],
                "track": entry.track,
                "sanction": TRACKS[entry.track],
                "rulebook": entry.rulebook,
                "sanction_basis": entry.sanction_basis(preset),
                "keywords": list(entry.keywords),
                "note": entry.note,
            })
    return rows


_ALL_KEYS = frozenset((*CONDUCT_BY_KEY, *_OTHER, *_VIP, *_COMPLAINT))
assert len(_ALL_KEYS) == len(CONDUCT_BY_KEY) + len(_OTHER) + len(_VIP) + len(_COMPLAINT), "a rule key is used twice"
assert all(e.category in CATEGORIES and e.track in TRACKS and set(e.evidence) <= set(EVIDENCE_LABELS) for e in CONDUCT)
