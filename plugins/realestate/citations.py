"""Rule table: every rule of the realestate plugin and the clause it applies, per source document.

The same rule (same id) cites a different clause in each document: the 1-month window is
万科 §7.1 but 置业顾问 五.2, the 70/30 vs 55/45 designation split is 万科 §5.2 vs 置业顾问 四.2.
A rule a document does not have is simply absent from its column; the replay then escalates
(or, where the document is silent on purpose, does not fire). ``rule(key, doc)`` looks one up;
``catalogue()`` (the ``rule_catalogue`` hook) lists every rule once per document that states it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...core.decisions import Citation, Rule

PLUGIN = "realestate"

VANKE = "万科房地产销售部客户管理制度"
XIZE = "房地产销售客户管理细则"
CONSULTANT = "置业顾问客户管理制度"
REFERRAL = "房地产公司员工介绍客户管理办法"

DOCUMENTS = {"vanke": VANKE, "xize": XIZE, "consultant": CONSULTANT}

# key: (title, {document: clause}); the employee-referral rules also carry the referral
# document's own clause under "referral" (used when the preset's document has no such clause).
_TABLE: dict[str, tuple[str, dict[str, str]]] = {
    # --- reception -----------------------------------------------------------------------------
    "rotation": ("按排班顺序轮流接待", {"vanke": "§3.1-3.2", "consultant": "二.1", "xize": "(二)1"}),
    "lose_turn": ("无正当理由不在岗取消本轮接客资格", {"vanke": "§3.4", "consultant": "二.3", "xize": "(二)3"}),
    "priority_slot": ("领导临时安排工作,当前位置优先轮值", {"vanke": "§3.4", "consultant": "二.3"}),
    "makeup_turn": ("因公外出,空几轮补接几名", {"xize": "(二)3"}),
    "unready_turn": ("着装/准备不符要求取消本轮接客资格", {"vanke": "§2.1", "consultant": "一.1"}),
    "no_rotation": ("当日无人在轮序中", {"vanke": "§3.1", "consultant": "二.1", "xize": "(二)1"}),
    "designated_before": ("实质性接待前指定接待,不计入排班", {"vanke": "§5.1", "consultant": "四.1", "xize": "(二)5(1)"}),
    "returning_owner": ("老客户由原登记售楼员接待", {"vanke": "§4.1", "consultant": "三.1", "xize": "(五)3(1)"}),
    "returning_volunteer": ("原售楼员不在,义务接待", {"vanke": "§4.2", "consultant": "三.2", "xize": "(五)3(3)"}),
    "named_first": ("客户说出多名销售员,由第一位在场者接待", {"xize": "(五)3(5)"}),
    "forgotten_new": ("客户记不得原售楼员,视为新客户", {"vanke": "§3.7", "consultant": "二.6", "xize": "(五)3(7)"}),
    "returning_designation": ("老客户指定其他售楼员", {"vanke": "§5.3", "consultant": "四.3", "xize": "(五)3(8)"}),
    "declined_original": ("客户不愿找原销售员,要求现接待者接待", {"vanke": "§5.3", "consultant": "四.3", "xize": "(五)3(2)"}),
    "lunch_desk": ("午餐时间轮班前两位值接待台", {"vanke": "§3.14"}),
    "old_brings_new_count": ("老客户带新客户视接待一次", {"vanke": "§1.3"}),
    "company_volunteer": ("领导指定接待公司客户,视为义务接待", {"vanke": "§6(1)2"}),
    "rejection_reassign": ("客户坚决拒绝,按排班另派售楼员", {"vanke": "§3.10c", "consultant": "二.9C"}),
    # --- ownership -----------------------------------------------------------------------------
    "first_registration": ("客户登记以先登记者为准", {"vanke": "§7.3", "consultant": "五.2", "xize": "(五)1"}),
    "registration_expired": ("登记已过有效期,归新登记人", {"vanke": "§7.1", "consultant": "五.2", "xize": "(五)2(1)"}),
    "registration_conflict": ("登记冲突,以先登记者为准", {"vanke": "§7.3", "consultant": "五.2", "xize": "(五)1"}),
    "registration_pending": ("登记须经审核确认方为有效", {"vanke": "§7.2", "consultant": "五.3", "xize": "(五)1"}),
    "registration_correction": ("登记不得涂改,更正另立记录", {"vanke": "§7.2", "consultant": "五.3", "xize": "(三)11"}),
    "phone_not_ownership": ("来电登记不作为归属依据", {"vanke": "§3.13", "consultant": "二.12", "xize": "(五)1"}),
    "recognized_same_day": ("当日认出,由原售楼员接待", {"vanke": "§3.7g", "consultant": "二.6A", "xize": "(五)3(1)"}),
    "recognized_within": ("有效期内认出,新售楼员跟进,佣金平分", {"vanke": "§3.7i", "consultant": "二.6C", "xize": "(五)3(7)"}),
    "recognized_late": ("有效期后才认出,归新售楼员", {"vanke": "§3.7j", "consultant": "二.6D", "xize": "(五)3(7)"}),
    "deal_on_spot": ("新售楼员当场成交且成交前未认出", {"vanke": "§3.7h", "consultant": "二.6B"}),
    "volunteer_registration": ("义务接待不取得客户归属", {"vanke": "§4.2", "consultant": "三.2", "xize": "(五)3(3)"}),
    "rejection_no_fault": ("售楼员无过错,更换要求不予支持", {"vanke": "§3.10a", "consultant": "二.9A"}),
    "rejection_general": ("售楼员一般过错,处罚后继续接待", {"vanke": "§3.10b", "consultant": "二.9B"}),
    "rejection_serious": ("严重过错/坚决拒绝,按新客处理,原售楼员不再享有权益", {"vanke": "§3.10c", "consultant": "二.9C"}),
    "rejection_complaint": ("客户投诉原销售员,落实后成交与其无关", {"xize": "(五)3(4)"}),
    "family_share": ("夫妻分别登记,共同接待,佣金各半", {"vanke": "§7.4"}),
    "family_first": ("家庭成员分别来访,以先登记/先接待者为准", {"consultant": "五.5", "xize": "(五)3(11)"}),
    "family_separate": ("非本制度所列亲属关系,按不同客户处理", {"vanke": "§7.4", "consultant": "五.5", "xize": "(五)3(11)"}),
    "referral_registered": ("员工介绍客户须首访前登记并注明预约日", {"vanke": "§6(2)1", "referral": "第2条"}),
    "referral_valid": ("介绍经项目经理确认有效", {"vanke": "§6(2)3", "referral": "第4条"}),
    "referral_expired": ("客户未在约定日来访,介绍登记失效", {"vanke": "§6(2)2", "referral": "第3条"}),
    "referral_unconfirmed": ("来访时未确认,介绍登记无效", {"vanke": "§6(2)4", "referral": "第4条"}),
    "referral_preempted": ("现场销售人员已登记在先,介绍不予支持", {"vanke": "§6(2)3", "referral": "第4条"}),
    "company_customer": ("公司客户的认定", {"vanke": "§6(1)1"}),
    "old_announced": ("老客户事先来电介绍,售楼员已声明并约好时间", {"vanke": "§7.5a", "consultant": "五.7A"}),
    "old_brought": ("老客户直接带新客户来并声明找原售楼员", {"vanke": "§7.5b", "consultant": "五.7B", "xize": "(五)3(10)"}),
    "old_not_announced": ("老客户未来也未来电,新客户归接待者", {"vanke": "§7.5c", "consultant": "五.7C"}),
    "old_unreported": ("售楼员知悉老带新但未提前报备,新客户归现场接待者", {"vanke": "§7.5c", "consultant": "五.7D"}),
    "change_keeps": ("成交后更名换房不变更经办售楼员", {"vanke": "§7.6", "consultant": "五.7E", "xize": "(五)3(9)"}),
    "reassignment": ("长假/调离,客户由经理分配", {"xize": "(五)3(12)"}),
    "quarrel_department": ("客户交叉发生争吵,业绩奖金归部门", {"xize": "(五)4"}),
    "escalate": ("无法分清归属,报项目经理/销售总监", {"vanke": "§7.7", "consultant": "五.7F", "xize": "(五)4"}),
    "ruling": ("项目经理书面意见经销售总监审批", {"vanke": "§7.7", "consultant": "五.7F", "xize": "(五)4"}),
    "window_renewed": ("再次登记/回访,有效期自最后一次重新起算", {"vanke": "§7.1", "consultant": "五.2", "xize": "(五)2(1)"}),
    "referral_work_contact": ("工作中接触的客户不得主张为自己介绍的客户", {"referral": "第1条"}),
    "discount_designation": ("客户为争取折头而找他人,业绩奖金全部属原接待者", {"xize": "(五)3(6)"}),
    "standing": ("客户归属现状:归属人、起始日、有效期至", {"vanke": "§7.1,§7.3", "consultant": "五.2", "xize": "(五)1,(五)2(1)"}),
    "invalid_event": ("案场事件数据无效,不予采用", {"vanke": "§7.2", "consultant": "五.3", "xize": "(三)11"}),
    # --- commission ----------------------------------------------------------------------------
    "owner_full": ("佣金归有效登记人", {"vanke": "§7.1", "consultant": "五.1", "xize": "(五)1"}),
    "expired_to_closer": ("原登记已失效,佣金归成交售楼员", {"vanke": "§7.1", "consultant": "五.2", "xize": "(五)2(1)"}),
    "designation_split": ("接待中途指定他人,佣金按比例分配", {"vanke": "§5.2", "consultant": "四.2"}),
    "designation_instigated": ("被指定者怂恿,全部佣金归最先接待者", {"vanke": "§5.2", "consultant": "四.2"}),
    "returning_designation_first": ("老客户指定他人义务接待,佣金归最先接待者", {"vanke": "§5.3", "consultant": "四.3"}),
    "nth_visit_split": ("第n次来访指定接待,与此前销售员各半", {"xize": "(五)3(8)"}),
    "declined_split": ("客户不愿找原销售员,a:80% b:20%", {"xize": "(五)3(2)"}),
    "volunteer_split": ("原销售员不在,协助接待当日成交 b:80% c:20%", {"xize": "(五)3(3)"}),
    "recognized_split": ("有效期内认出,新旧售楼员平分", {"vanke": "§3.7i", "consultant": "二.6C", "xize": "(五)3(7)"}),
    "spot_deal_new": ("当场成交前未认出,佣金全归新售楼员", {"vanke": "§3.7h", "consultant": "二.6B"}),
    "unrecognized_new": ("期内未认出,佣金全归新售楼员", {"vanke": "§3.7j", "consultant": "二.6D", "xize": "(五)3(7)"}),
    "referral_split": ("员工介绍客户成交,介绍人30%,售楼员70%", {"vanke": "§6(2)5", "referral": "第8条"}),
    "company_followed": ("公司客户由售楼员全程跟进成交", {"vanke": "§6(1)3"}),
    "company_arranged_sales": ("公司直接安排成交,售楼员售后跟进", {"vanke": "§6(1)4"}),
    "company_arranged_other": ("公司直接安排成交,其他员工跟进售后", {"vanke": "§6(1)5"}),
    "company_designated": ("领导指定接待,成交佣金全部作为公佣", {"vanke": "§6(1)2"}),
    "family_share_split": ("夫妻客共同接待,佣金各半", {"vanke": "§7.4"}),
    "change_split": ("更名换房,业绩佣金仍归原售楼员", {"vanke": "§7.6", "consultant": "五.7E", "xize": "(五)3(9)"}),
    "department_split": ("交叉客户争吵,业绩奖金归部门", {"xize": "(五)4"}),
    "escalated_split": ("归属待裁定,佣金暂挂", {"vanke": "§7.7", "consultant": "五.7F", "xize": "(五)4"}),
    "ruling_split": ("按审批后的书面意见分配", {"vanke": "§7.7", "consultant": "五.7F", "xize": "(五)4"}),
    # --- conduct -------------------------------------------------------------------------------
    "conduct_grab": ("抢客、争客、怠慢客户", {"xize": "(二)4", "vanke": "§3.8-3.9", "consultant": "二.7-8"}),
    "conduct_provoke": ("故意挑起事端", {"xize": "(二)5(3)"}),
    "conduct_unready": ("未按规范着装/未做好接待准备,取消本轮接客资格", {"vanke": "§2.1-2.2,2.5", "consultant": "一.1-2,一.5"}),
}

_REFERRAL_KEYS = {k for k, (_, clauses) in _TABLE.items() if "referral" in clauses}

RULE_KEYS = frozenset(_TABLE)

_CACHE: dict[tuple[str, str], Rule | None] = {}


def rule(key: str, doc: str) -> Rule | None:
    """The rule ``key`` as the document ``doc`` ("vanke", "xize", "consultant") states it, or None.

    Employee-referral rules fall back to 房地产公司员工介绍客户管理办法 for documents without their own.
    """
    cache_key = (key, doc)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    title, clauses = _TABLE[key]
    found: Rule | None = None
    if doc in clauses:
        found = Rule(f"{PLUGIN}.{key}", Citation(DOCUMENTS[doc], clauses[doc]), title)
    elif key in _REFERRAL_KEYS:
        found = Rule(f"{PLUGIN}.{key}", Citation(REFERRAL, clauses["referral"]), title)
    _CACHE[cache_key] = found
    return found


def has_rule(key: str, doc: str) -> bool:
    return rule(key, doc) is not None


def catalogue() -> list[Rule]:
    """Every rule once per document that states it (the referral document's own clause included),
    each pointing at its line of the table above."""
    lines = _table_lines()
    rules = []
    for key, (title, clauses) in _TABLE.items():
        for doc, clause in clauses.items():
            document = REFERRAL if doc == "referral" else DOCUMENTS[doc]
            rules.append(Rule(f"{PLUGIN}.{key}", Citation(document, clause), title, source=f"{__file__}:{lines.get(key, 1)}"))
    return rules


def _table_lines() -> dict[str, int]:
    """The line of each key's entry in ``_TABLE``, read from this file."""
    try:
        text = Path(__file__).read_text(encoding="utf-8")
    except OSError:  # pragma: no cover - a package without its sources
        return {}
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r'\s+"(\w+)": \(', line)
        if match and match.group(1) in _TABLE:
            found.setdefault(match.group(1), number)
    return found
