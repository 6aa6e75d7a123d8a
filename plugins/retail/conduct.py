"""Staff conduct incidents -> the sanction the text gives (销售客户管理制度 篇2/4/5/6, 客户管理制度9,
客户管理制度3): the ``assess_conduct`` hook's answers (``zhidu conduct``).

An incident names the rule it breaches (``rule``: the catalogue key such as ``leak_store_data``, its
Chinese title, a clause such as ``篇2第4条`` / ``第4部分第4条``, or ``其他`` for any other breach of the
store's rules) or describes the behaviour (``behaviour``), which is matched against the catalogue's
keywords. A behaviour matching no rule, or several, is not guessed: the decision says so and names
the candidates, and the store manager names the rule.

Repeat offences (parameters ``repeat_period_days``, ``repeat_scope``, ``repeat_ladder``; all off by
default: the text says 初犯 but gives neither a period nor a ladder) are counted from the earlier
incident records of the same person: the stored ones (``context.history.records``), those of this
run's input and, from a FILE, those of ``--earlier FILE``. No decision is replayed.
"""

from __future__ import annotations

import bisect
import re
import warnings
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from ...core.decisions import Decision
from .catalogue import (CONDUCT, CONDUCT_BY_KEY, DOCUMENTS, OTHER_BREACH, PLUGIN, RULEBOOKS, TRACKS, ConductRule,
                        EVIDENCE_LABELS, rule)
from .params import VERBAL_WARNING, WRITTEN_WARNING
from .records import SEVERITY, StaffIncident
from .text import day, person, yuan

#: Tracks whose incidents count as offences for repeat offences (compensation and leave are not sanctions).
SANCTION_TRACKS = frozenset(("warning", "administrative", "relevant_rules", "severe", "by_seriousness", "rewards_penalties"))


class RepeatOrderWarning(UserWarning):
    """A FILE run met an incident earlier than one of the same person already decided in an earlier
    chunk: that decision counted its earlier offences without this one. Sort the file by time or
    import the incidents first (over the database every stored incident is seen)."""


# --- which rule an incident breaches ------------------------------------------------------------------

_TITLES = {entry.title: entry.key for entry in CONDUCT}
_CLAUSE_REF = re.compile(r"^(?:(?P<doc>销售客户管理制度|客户管理制度9)\s*)?(?:篇\s*(?P<pian>\d+)|第?\s*(?P<part>\d)\s*部分)\s*[第.\-\s]*(?P<n>\d+)\s*[条)）]?$")
_PART_REF = re.compile(r"^(?P<part>\d)\s*[.\-]\s*(?P<n>\d+)\s*[)）]?$")


def _clause_index() -> dict[tuple[str, int], tuple[str, ...]]:
    """("篇2", 4) / ("第4部分", 4) -> the rule keys citing that clause (篇5第9条, the sanction clause, excluded)."""
    index: dict[tuple[str, int], list[str]] = {}
    for entry in CONDUCT:
        for _doc, (_title, clause) in entry.clauses.items():
            head = re.match(r"^(篇\d+|第\d部分)", clause)
            if head is None:
                continue
            numbers = [int(n) for n in re.findall(r"第(\d+)条", clause)]
            if len(numbers) > 1 and numbers[-1] == 9 and head.group(1) in ("篇5", "第1部分"):
                numbers = numbers[:-1]
            for n in numbers:
                keys = index.setdefault((head.group(1), n), [])
                if entry.key not in keys:
                    keys.append(entry.key)
    return {k: tuple(v) for k, v in index.items()}


_BY_CLAUSE = _clause_index()
_RESOLVED: dict[tuple[str, str], tuple[str | None, tuple[str, ...], str]] = {}


def resolve(rule_text: str | None, behaviour: str | None) -> tuple[str | None, tuple[str, ...], str]:
    """(rule key or None, candidate keys when not one, how it was found: key/title/clause/other/keyword/none/ambiguous)."""
    cache_key = (rule_text or "", behaviour or "")
    found = _RESOLVED.get(cache_key)
    if found is None:
        found = _resolve(rule_text, behaviour)
        if len(_RESOLVED) > 100_000:
            _RESOLVED.clear()
        _RESOLVED[cache_key] = found
    return found


def _resolve(rule_text: str | None, behaviour: str | None) -> tuple[str | None, tuple[str, ...], str]:
    text = (rule_text or "").strip()
    if text:
        key = text[len(PLUGIN) + 1:] if text.startswith(PLUGIN + ".") else text
        if key in CONDUCT_BY_KEY:
            return key, (), "key"
        if text in ("其他", "其它", "other", "其他违纪", "其他违规"):
            return OTHER_BREACH, (), "other"
        if text in _TITLES:
            return _TITLES[text], (), "title"
        candidates = _clause_candidates(text)
        if candidates is None:
            return None, (), "unknown_rule"
        if len(candidates) == 1:
            return candidates[0], (), "clause"
        narrowed = [k for k in _keyword_matches(behaviour) if k in candidates]
        if len(narrowed) == 1:
            return narrowed[0], (), "clause"
        return None, candidates, "ambiguous"
    matches = _keyword_matches(behaviour)
    if len(matches) == 1:
        return matches[0], (), "keyword"
    if not matches:
        return None, (), "none"
    return None, tuple(matches), "ambiguous"


def _clause_candidates(text: str) -> tuple[str, ...] | None:
    match = _CLAUSE_REF.match(text) or _PART_REF.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    head = f"篇{int(groups['pian'])}" if groups.get("pian") else f"第{int(groups['part'])}部分"
    return _BY_CLAUSE.get((head, int(groups["n"])))


def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """A keyword matches as written; ``*`` in it stands for up to 12 characters (``透露*销售额``)."""
    parts = ["(?:" + ".{0,12}".join(re.escape(p) for p in word.split("*")) + ")" for word in keywords if word]
    return re.compile("|".join(parts)) if parts else None


_PATTERNS = [(entry.key, _pattern(entry.keywords)) for entry in CONDUCT]


def _keyword_matches(behaviour: str | None) -> list[str]:
    if not behaviour:
        return []
    return [key for key, pattern in _PATTERNS if pattern is not None and pattern.search(behaviour)]


# --- repeat offences -----------------------------------------------------------------------------------

def _offence_key(record: Any) -> str | None:
    """The rule an earlier incident breached, if it is a sanctionable one (else it does not count)."""
    key, _candidates, _how = resolve(record.rule, record.behaviour)
    if key is None or CONDUCT_BY_KEY[key].track not in SANCTION_TRACKS:
        return None
    return key


def earlier_offences(incident: StaffIncident, key: str, pool: Iterable[Any], params: Mapping[str, Any]) -> list[Any]:
    """The person's incidents before this one, within ``repeat_period_days``, in ``repeat_scope``, oldest first."""
    period = params["repeat_period_days"]
    if period is None:
        return []
    scope = params["repeat_scope"]
    since = incident.occurred_at - timedelta(days=period)
    here = (incident.occurred_at, incident.code)
    category = CONDUCT_BY_KEY[key].category
    found: dict[str, Any] = {}
    candidates = pool.window(since, here) if isinstance(pool, SortedPool) else pool
    for other in candidates:
        if other.code == incident.code or other.staff_code != incident.staff_code or other.code in found:
            continue
        if not (since <= other.occurred_at and (other.occurred_at, other.code) < here):
            continue
        other_key = _offence_key(other)
        if other_key is None:
            continue
        if scope == "same_rule" and other_key != key:
            continue
        if scope == "same_category" and CONDUCT_BY_KEY[other_key].category != category:
            continue
        found[other.code] = other
    return sorted(found.values(), key=lambda r: (r.occurred_at, r.code))


def _ladder_step(offence: int, ladder: Sequence[Mapping[str, Any]] | None) -> Mapping[str, Any] | None:
    step = None
    for entry in ladder or ():
        if entry["offence"] <= offence:
            step = entry
    return step


# --- the sanction -----------------------------------------------------------------------------------

def _configured(entry: ConductRule, severity: str, params: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The company's sanction for this rule and severity, and the parameter key it came from."""
    sanctions, tracks = params["sanctions"], params["track_sanctions"]
    for table, name, key in ((sanctions, "sanctions", f"{entry.key}.{severity}"), (sanctions, "sanctions", entry.key),
                             (tracks, "track_sanctions", f"{entry.track}.{severity}"), (tracks, "track_sanctions", entry.track)):
        if key in table:
            return dict(table[key]), f"{name}.{key}"
    return None, None


def _sanction_text(spec: Mapping[str, Any]) -> str:
    text = spec["label"]
    if spec.get("fine") is not None:
        text += yuan(spec["fine"])
    if spec.get("reference"):
        text += f"({spec['reference']})"
    return text


def assess(incident: StaffIncident, params: Mapping[str, Any], pool: Iterable[Any] | None = None) -> Decision:
    """The decision on one incident. ``pool``: the person's other incidents (for repeat offences)."""
    decision = _assess(incident, params, pool)
    decision.outcome["needs_configuration"] = decision.outcome["status"] == "not_configured"
    return decision


def _assess(incident: StaffIncident, params: Mapping[str, Any], pool: Iterable[Any] | None) -> Decision:
    doc = params["document"]
    key, candidates, how = resolve(incident.rule, incident.behaviour)
    who = "员工" + person(incident.staff_code, incident.staff_name)
    when = day(incident.occurred_at)
    severity = incident.severity if incident.severity in SEVERITY else "general"
    evidence = f"(证据:{EVIDENCE_LABELS[incident.evidence]})" if incident.evidence in EVIDENCE_LABELS else ""
    base = {"incident": incident.code, "staff_code": incident.staff_code, "store": incident.store,
            "occurred_at": incident.occurred_at, "severity": severity, "evidence": incident.evidence}
    inputs = _inputs(incident)
    if key is None:
        return _unmatched(incident, doc, candidates, how, who, when, base, inputs)
    entry = CONDUCT_BY_KEY[key]
    r = rule(key, doc)
    what = f"“{incident.behaviour.strip()}”" if incident.behaviour and incident.behaviour.strip() else f"违反“{entry.title}”"
    cited = str(r.citation)
    outcome: dict[str, Any] = {**base, "rule": key, "matched_by": how, "category": entry.category, "track": entry.track,
                               "rulebook": entry.rulebook, "sanction_basis": entry.sanction_basis(doc)}
    used: dict[str, Any] = {"document": doc}

    counting = params["repeat_period_days"] is not None and entry.track in SANCTION_TRACKS
    offence: int | None = None
    earlier: list[Any] = []
    if counting:
        earlier = earlier_offences(incident, key, pool or (), params)
        offence = len(earlier) + 1
        used.update(repeat_period_days=params["repeat_period_days"], repeat_scope=params["repeat_scope"])
    outcome.update(repeat_checked=counting, offence_number=offence, earlier_incidents=[e.code for e in earlier])
    inputs["earlier_incidents"] = [e.code for e in earlier]
    repeat = ""
    if offence is not None:
        scope = {"same_rule": "同一条款", "same_category": "同类", "any": ""}[params["repeat_scope"]]
        repeat = f",为其{params['repeat_period_days']}天内第{offence}次{scope}违纪" if offence > 1 else f",{params['repeat_period_days']}天内无{scope}前次违纪,属初犯"

    if entry.track == "compensation":
        outcome.update(status="compensation", sanction=None, sanction_label=None, fine=None, reference=None)
        return r.decide("staff_incident", incident.code, outcome,
                        f"{who}于{when}{what}{evidence},依{cited}应赔偿工服(未退回按六折、保管不善按规定),"
                        f"金额按工服发放记录另行核算,原文未另定处罚。", used, inputs)
    if entry.track == "not_effective":
        outcome.update(status="no_sanction", sanction=None, sanction_label=None, fine=None, reference=None)
        return r.decide("staff_incident", incident.code, outcome,
                        f"{who}于{when}{what}{evidence},依{cited}未提前一天向店长申请并经批准的请假不生效"
                        f"(按请假审核另行判定),原文未另定处罚,缺勤按考勤规定另行认定。", used, inputs)

    ladder_step = _ladder_step(offence, params["repeat_ladder"]) if offence and offence > 1 else None
    if offence and offence > 1:
        used["repeat_ladder"] = params["repeat_ladder"]

    spec: dict[str, Any] | None
    source: str | None
    if entry.track == "warning":
        if severity == "serious":
            spec, source = dict(WRITTEN_WARNING), "text"
            reason = ",情节严重"
        elif offence is None or offence == 1:
            spec, source = dict(VERBAL_WARNING), "text"
            reason = "" if offence == 1 else ",未统计再犯(企业未设定再犯统计期),以初犯论"
        elif ladder_step is not None:
            spec, source = dict(ladder_step["sanction"]), "repeat_ladder"
            reason = f",按企业再犯阶梯(第{ladder_step['offence']}次起)"
        else:
            outcome.update(status="not_configured", sanction=None, sanction_label=None, fine=None, reference=None,
                           sanction_source=None, configure=["repeat_ladder"])
            return r.decide("staff_incident", incident.code, outcome,
                            f"{who}于{when}{what}{evidence}{repeat},{cited}只规定初犯口头警告、严重者书面警告,"
                            f"未规定再犯的处罚,待企业设定再犯处罚阶梯后再判定。", used, inputs)
        outcome.update(status="decided", sanction=spec["code"], sanction_label=spec["label"], fine=spec.get("fine"),
                       reference=spec.get("reference"), sanction_source=source)
        return r.decide("staff_incident", incident.code, outcome,
                        f"{who}于{when}{what}{evidence}{repeat}{reason},依{cited}处以{_sanction_text(spec)}。", used, inputs)

    # Tracks whose sanction the company sets: its own rulebook's entry, or its repeat ladder.
    basis = entry.sanction_basis(doc)
    if entry.rulebook and basis:
        pointer = f"{cited}未定处罚,按{basis}应{TRACKS[entry.track]}"
    else:
        pointer = f"依{cited}应{TRACKS[entry.track]}"
    if entry.track == "by_seriousness":
        pointer += f"(本次情节{SEVERITY[severity]})"
    spec, source = _configured(entry, severity, params)
    if ladder_step is not None:
        outcome["base_sanction"] = spec["code"] if spec else None
        spec, source = dict(ladder_step["sanction"]), "repeat_ladder"
    if source:
        used[source] = spec
    if spec is None:
        keys = _parameter_keys(entry, severity)
        # The profile keys that would set it go in the outcome, for the administrator; the sentence stays Chinese.
        outcome.update(status="not_configured", sanction=None, sanction_label=None, fine=None, reference=None, sanction_source=None,
                       configure=keys)
        return r.decide("staff_incident", incident.code, outcome,
                        f"{who}于{when}{what}{evidence}{repeat},{pointer},企业尚未配置该处罚,待企业设定后再判定。", used, inputs)
    outcome.update(status="decided", sanction=spec["code"], sanction_label=spec["label"], fine=spec.get("fine"),
                   reference=spec.get("reference"), sanction_source=source)
    how_set = f"按企业再犯阶梯(第{ladder_step['offence']}次起)" if ladder_step is not None else "按企业设定"
    return r.decide("staff_incident", incident.code, outcome,
                    f"{who}于{when}{what}{evidence}{repeat},{pointer},{how_set}处以{_sanction_text(spec)}。", used, inputs)


def _parameter_keys(entry: ConductRule, severity: str) -> list[str]:
    if entry.track == "by_seriousness":
        return [f"sanctions.{entry.key}.{severity}", f"track_sanctions.by_seriousness.{severity}"]
    return [f"sanctions.{entry.key}", f"track_sanctions.{entry.track}"]


def _unmatched(incident: StaffIncident, doc: str, candidates: tuple[str, ...], how: str, who: str, when: str,
               base: dict[str, Any], inputs: dict[str, Any]) -> Decision:
    r = rule("conduct_unmatched", doc)
    described = f"“{incident.behaviour.strip()}”" if incident.behaviour and incident.behaviour.strip() else "的行为"
    if how == "ambiguous":
        names = "、".join(dict.fromkeys(rule(k, doc).citation.clause for k in candidates))
        why = f"可能涉及{names},不能确定适用哪一条,请店长在“违反条款”中写明"
    elif how == "unknown_rule":
        why = f"所写违反条款“{incident.rule}”不是本制度的条款,请改写为条款键、条款号(如篇2第4条)或“其他”"
    else:
        why = "未写违反条款,描述也对应不到具体条款,请店长在“违反条款”中写明(其他违纪写“其他”)"
    outcome = {**base, "rule": None, "matched_by": how, "candidates": list(candidates), "category": None, "track": None,
               "rulebook": None, "status": "unmatched", "sanction": None, "sanction_label": None, "fine": None,
               "reference": None, "repeat_checked": False, "offence_number": None, "earlier_incidents": []}
    return r.decide("staff_incident", incident.code, outcome, f"{who}于{when}{described}{why},暂不处罚。", {"document": doc}, inputs)


def _inputs(incident: StaffIncident) -> dict[str, Any]:
    return {"code": incident.code, "staff_code": incident.staff_code, "occurred_at": incident.occurred_at,
            "rule": incident.rule, "behaviour": incident.behaviour, "severity": incident.severity,
            "evidence": incident.evidence, "staff_name": incident.staff_name, "store": incident.store,
            "observed_by": incident.observed_by, "facts": incident.facts}


# --- the command ------------------------------------------------------------------------------------

def check_conduct(incidents: Sequence[StaffIncident], context: Any) -> list[Decision]:
    """``assess_conduct`` (``zhidu conduct``): one decision per incident."""
    params = context.parameters(PLUGIN)
    if params["repeat_period_days"] is None:
        return [assess(incident, params) for incident in incidents]
    pools = _pools(incidents, context)
    return [assess(incident, params, pools.get(incident.staff_code, ())) for incident in incidents]


class SortedPool:
    """One person's incidents in time order (by occurred_at, then code), each once: the window of a
    repeat period is found by bisection, so counting stays cheap however long the person's record."""

    __slots__ = ("keys", "records", "codes", "run_latest")

    def __init__(self) -> None:
        self.keys: list[tuple[datetime, str]] = []
        self.records: list[Any] = []
        self.codes: set[str] = set()
        # The latest incident that came from the run's own input (not from the history).
        self.run_latest: datetime | None = None

    def add(self, record: Any) -> bool:
        if record.code in self.codes:
            return False
        key = (record.occurred_at, record.code)
        at = bisect.bisect_right(self.keys, key)
        self.keys.insert(at, key)
        self.records.insert(at, record)
        self.codes.add(record.code)
        return True

    def window(self, since: datetime, before: tuple[datetime, str]) -> list[Any]:
        return self.records[bisect.bisect_left(self.keys, (since, "")):bisect.bisect_left(self.keys, before)]

    def __iter__(self):
        return iter(self.records)


def _pools(incidents: Sequence[StaffIncident], context: Any) -> dict[str, SortedPool]:
    """Each person's incidents the chunk can count: the history's (read once per person and run: over
    the database the stored incidents, from a FILE those of ``--earlier``), earlier chunks of this run,
    this chunk. Kept in the plugin's run state."""
    state = context.plugin_state(PLUGIN)
    pools: dict[str, SortedPool] = state.setdefault("conduct_pools", {})
    new = [code for code in dict.fromkeys(i.staff_code for i in incidents) if code not in pools]
    if new:
        stored = context.history.records("staff_incident", new)
        for code in new:
            pool = pools[code] = SortedPool()
            for record in stored.get(code, ()):
                pool.add(record)
    # Over the database every stored incident came with the history; from a FILE an incident earlier
    # than one of the same person decided in an earlier chunk was missed by that decision: say so once.
    latest = {i.staff_code: pools[i.staff_code].run_latest for i in incidents}
    late: list[str] = []
    for incident in sorted(incidents, key=lambda i: (i.occurred_at, i.code)):
        pool = pools[incident.staff_code]
        before = latest[incident.staff_code]
        if pool.add(incident):
            if before is not None and incident.occurred_at < before:
                late.append(incident.code)
            if pool.run_latest is None or incident.occurred_at > pool.run_latest:
                pool.run_latest = incident.occurred_at
    if late and not state.get("warned_order"):
        state["warned_order"] = True
        warnings.warn(f"conduct: incident(s) {', '.join(late[:5])} came after later incidents of the same person in an earlier "
                      f"chunk; those decisions did not count them as earlier offences: sort the file by 发生时间 or import it first",
                      RepeatOrderWarning, stacklevel=2)
    return pools


RULEBOOK_NAMES = RULEBOOKS
DOCUMENT_TITLES = DOCUMENTS
