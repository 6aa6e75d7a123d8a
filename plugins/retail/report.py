"""retail's sections of `zhidu report PERIOD`: staff incidents by category and by person, the
sanctions issued (and those awaiting the company's rulebook), uniform compensation due, the VIP
classes, and complaints by handling step and state.

Built from the period's committed decisions only (the latest run of each command per subject:
``conduct``, ``uniforms``, ``classify``, ``route``); every figure carries the ids of the decisions it
counts, so `zhidu explain ID` answers for it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Callable, Hashable

from ...core.decisions import Decision
from ...core.reportspec import Chart, Figure, PeriodDecisions, ReportPeriod, ReportSection, Row, Series, Table
from .catalogue import CATEGORIES, TRACKS
from .records import STEPS, UNIFORM_STATUS, VIP_CLASSES

CONDUCT_STATES = (("decided", "已定处罚"), ("not_configured", "待企业配置"), ("compensation", "赔偿(不处罚)"),
                  ("no_sanction", "无处罚"), ("unmatched", "未对应条款"))
UNIFORM_STATES = {"compensate": "应赔偿", "not_configured": "赔偿比例未配置", "undetermined": "保管不善未认定"}
VIP_STATES = (("A", VIP_CLASSES["A"]), ("B", VIP_CLASSES["B"]), ("C", VIP_CLASSES["C"]), ("D", VIP_CLASSES["D"]),
              ("no_data", "缺少消费数据"), ("not_configured", "分类标准未配置"))
STEP_STATES = (("done", "已完成"), ("out_of_order", "顺序不符"), ("missing", "缺失"), ("late", "报告迟延"),
               ("pending", "尚未进行"), ("not_required", "无须报告"))


def sections(period: ReportPeriod, decisions: PeriodDecisions) -> list[ReportSection]:
    conduct = [d for d in decisions.current("conduct") if d.subject_kind == "staff_incident"]
    return [incidents_by_category(conduct), incidents_by_person(conduct), sanctions(conduct),
            uniform_compensation(decisions.current("uniforms")),
            vip_classes([d for d in decisions.current("classify") if d.subject_kind == "vip_customer"]),
            complaints_by_step([d for d in decisions.current("route") if d.subject_kind == "store_complaint"])]


def _group(items: list[Decision], key: Callable[[Decision], Hashable]) -> dict[Any, list[Decision]]:
    groups: dict[Any, list[Decision]] = defaultdict(list)
    for d in items:
        groups[key(d)].append(d)
    return groups


def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0.00")


def _total(items: list[Decision], field: str) -> Figure:
    """The sum of an amount over decisions, with the ids of those that carry one."""
    carrying = [d for d in items if _money(d.outcome.get(field))]
    return Figure.of(carrying, sum((_money(d.outcome.get(field)) for d in carrying), Decimal("0.00")))


def incidents_by_category(conduct: list[Decision]) -> ReportSection:
    by_category = _group(conduct, lambda d: d.outcome.get("category"))
    order = [c for c in CATEGORIES if c in by_category] + ([None] if None in by_category else [])
    rows, labels, counts = [], [], []
    for category in order:
        items = by_category[category]
        label = CATEGORIES[category] if category else "未对应到条款"
        states = [Figure.of([d for d in items if d.outcome.get("status") == code]) for code, _ in CONDUCT_STATES]
        total = Figure.of(items)
        rows.append(Row((label, *states, total)))
        labels.append(label)
        counts.append(total)
    return ReportSection(
        title="违纪事件(按类别)",
        description="本期最后一次 conduct 运行判定的门店员工违纪事件,按所违反条款的类别和判定结果计数。",
        table=Table(("类别", *(label for _c, label in CONDUCT_STATES), "合计"), tuple(rows)),
        chart=Chart("bar", tuple(labels), (Series("事件数", tuple(counts)),), title="违纪事件类别", y_title="事件数") if rows else None,
        headline=(("违纪事件", Figure.of(conduct)),),
    )


def incidents_by_person(conduct: list[Decision]) -> ReportSection:
    by_person = _group(conduct, lambda d: (d.outcome.get("store") or "(未登记门店)", d.outcome.get("staff_code") or ""))
    rows = []
    for (store, staff), items in sorted(by_person.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        name = next((d.inputs.get("staff_name") for d in items if isinstance(d.inputs, dict) and d.inputs.get("staff_name")), "")
        kinds = _group(items, lambda d: d.outcome.get("category"))
        categories = "、".join(f"{CATEGORIES[c] if c else '未对应条款'}{len(v)}" for c, v in kinds.items())
        labels = _group([d for d in items if d.outcome.get("status") == "decided"], lambda d: d.outcome.get("sanction_label"))
        issued = "、".join(f"{label}{len(v)}" for label, v in labels.items())
        rows.append(Row((store, staff, name, Figure.of(items), categories, issued, _total(items, "fine")),
                        tuple(sorted(d.decision_id for d in items if d.decision_id is not None))))
    return ReportSection(
        title="违纪事件(按人员)",
        description="每名员工本期的违纪事件数、涉及类别、已定处罚和罚款,按事件数从多到少。",
        table=Table(("门店", "工号", "姓名", "事件数", "类别", "已定处罚", "罚款(元)"), tuple(rows)),
    )


def sanctions(conduct: list[Decision]) -> ReportSection:
    decided = _group([d for d in conduct if d.outcome.get("status") == "decided"],
                     lambda d: (d.outcome.get("sanction_label") or "", d.outcome.get("sanction_source") or ""))
    source = {"text": "原文规定", "repeat_ladder": "企业再犯阶梯"}
    rows, labels, counts = [], [], []
    for (label, how), items in sorted(decided.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        fig = Figure.of(items)
        rows.append(Row((label, source.get(how, "企业设定"), fig, _total(items, "fine"))))
        labels.append(label)
        counts.append(fig)
    waiting = _group([d for d in conduct if d.outcome.get("status") == "not_configured"], _awaiting)
    for basis, items in sorted(waiting.items()):
        rows.append(Row(("尚未配置", basis, Figure.of(items), None)))
    issued = [d for items in decided.values() for d in items]
    return ReportSection(
        title="违纪处罚",
        description="本期已定的处罚(原文规定的口头、书面警告和企业按其规章设定的处罚)及次数、罚款;"
                    "原文指向其他规章而企业尚未配置的,按所指规章列出待配置的事件数。",
        table=Table(("处罚", "依据", "次数", "罚款(元)"), tuple(rows)),
        chart=Chart("bar", tuple(labels), (Series("次数", tuple(counts)),), title="已定处罚", y_title="次数") if labels else None,
        headline=(("已定处罚", Figure.of(issued)), ("罚款合计(元)", _total(issued, "fine")),
                  ("待企业配置处罚", Figure.of([d for items in waiting.values() for d in items]))),
    )


def _awaiting(d: Decision) -> str:
    """What an unconfigured sanction waits for: the rulebook the text points to, the text's own
    unquantified words, or (the uniform rule) a repeat-offence ladder the text does not give."""
    o = d.outcome
    if o.get("rulebook"):
        return f"按{o['rulebook']}"
    if o.get("track") == "warning":
        return "原文未定再犯处罚"
    return f"{TRACKS.get(o.get('track') or '', '')}(原文未定具体处罚)"


def uniform_compensation(uniforms: list[Decision]) -> ReportSection:
    owed = [d for d in uniforms if d.outcome.get("status") in UNIFORM_STATES]
    rows = []
    for d in sorted(owed, key=lambda d: (d.outcome.get("store") or "", d.outcome.get("staff_code") or "", d.subject_id)):
        o = d.outcome
        ids = (d.decision_id,) if d.decision_id is not None else ()
        amount = _money(o.get("compensation"))
        # No amount while the rate is not configured or poor care not established: left blank, not 0.
        due = Figure(amount, ids if amount else ()) if o["status"] == "compensate" else None
        rows.append(Row((o.get("store") or "", o.get("staff_code") or "", o.get("item") or "",
                         UNIFORM_STATUS.get(o.get("record_status") or "", o.get("record_status") or ""), UNIFORM_STATES[o["status"]],
                         o.get("pieces"), due), ids))
    by_store = _group([d for d in owed if _money(d.outcome.get("compensation"))], lambda d: d.outcome.get("store") or "(未登记门店)")
    stores = sorted(by_store)
    return ReportSection(
        title="工服赔偿",
        description="本期最后一次 uniforms 运行:离职未退回的工服按六折赔偿(篇4第3条),因保管不善破损或丢失的按企业规定的比例赔偿(篇4第1条);"
                    "比例未配置或保管不善未认定的列出待办。",
        table=Table(("门店", "工号", "款号", "工服状态", "结论", "件数", "应赔金额(元)"), tuple(rows)),
        chart=Chart("bar", tuple(stores), (Series("应赔金额(元)", tuple(_total(by_store[s], "compensation") for s in stores)),),
                    title="各门店应赔金额", y_title="元") if stores else None,
        headline=(("工服应赔合计(元)", _total(owed, "compensation")),),
    )


def vip_classes(vips: list[Decision]) -> ReportSection:
    def state(d: Decision) -> str:
        return d.outcome.get("level") or d.outcome.get("status") or ""

    groups = _group(vips, state)
    rows, labels, counts = [], [], []
    for code, label in VIP_STATES:
        items = groups.get(code, [])
        if not items:
            continue
        fig = Figure.of(items)
        rows.append(Row((label, fig, Figure.of([d for d in items if d.outcome.get("findings")]),
                         Figure.of([d for d in items if d.outcome.get("matches_assigned") is False]))))
        labels.append(label)
        counts.append(fig)
    return ReportSection(
        title="VIP顾客分类",
        description="本期最后一次 classify 运行对每位VIP顾客的分类(按企业设定的消费和到店标准;未设定时为未配置),"
                    "以及分类与档案职责(vip客户管理制度第2条、第5条)有问题的顾客数。",
        table=Table(("类别", "顾客数", "档案问题", "与店长分类不符"), tuple(rows)),
        chart=Chart("pie", tuple(labels), (Series("顾客数", tuple(counts)),), title="VIP顾客分类") if rows else None,
        headline=(("VIP顾客", Figure.of(vips)),),
    )


def complaints_by_step(steps: list[Decision]) -> ReportSection:
    by_step = _group(steps, lambda d: d.outcome.get("step"))
    rows = []
    per_state: dict[str, list[Figure]] = {code: [] for code, _ in STEP_STATES}
    for step, label in STEPS.items():
        items = by_step.get(step, [])
        figures = [Figure.of([d for d in items if d.outcome.get("status") == code]) for code, _ in STEP_STATES]
        rows.append(Row((label, *figures, Figure.of(items))))
        for (code, _), fig in zip(STEP_STATES, figures):
            per_state[code].append(fig)
    replies = by_step.get("reply", [])
    return ReportSection(
        title="投诉处理环节",
        description="本期最后一次 route 运行对每件门店投诉六个环节(客户管理制度12第十四章)的判定,按环节和状态计数;"
                    "回复以向顾客约定的时间为准。",
        table=Table(("环节", *(label for _c, label in STEP_STATES), "合计"), tuple(rows)),
        chart=Chart("bar", tuple(STEPS.values()), tuple(Series(label, tuple(per_state[code])) for code, label in STEP_STATES),
                    title="投诉处理环节状态", y_title="投诉数") if steps else None,
        headline=(("门店投诉", Figure.of(replies)), ("超过约定回复时间", Figure.of([d for d in replies if d.outcome.get("overdue")]))),
    )
