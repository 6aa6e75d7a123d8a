"""Every rule of the staff-conduct catalogue, one case each: named by its key it decides under its own
rule and clause with its track's outcome (text-fixed warning, compensation, leave not effective, or
the company's sanction: not configured until set, then that sanction), under both documents; named
by its clause or described by its keywords it is found (or, where a clause or words hold several
rules, offered as a candidate, never guessed); and a behaviour of no rule fires none."""

import pytest

from retail_kit import SANCTION, context, incident, run
from zhidu.plugins.retail.catalogue import CONDUCT, TRACKS
from zhidu.plugins.retail.conduct import resolve

CONFIGURED = {"track_sanctions": {track: dict(SANCTION) for track in TRACKS if track not in ("warning", "compensation", "not_effective",
                                                                                            "by_seriousness")}
              | {"by_seriousness.general": dict(SANCTION)}}
OUTSIDE_THE_SANCTIONS = {"warning": ("decided", "verbal_warning"), "compensation": ("compensation", None), "not_effective": ("no_sanction", None)}


def one(record, ctx=None):
    [d] = run("conduct", [record], ctx)
    return d


@pytest.mark.parametrize("entry", CONDUCT, ids=[e.key for e in CONDUCT])
@pytest.mark.parametrize("doc, preset", [("sales", None), ("doc9", "doc9")])
def test_each_rule_named_by_its_key_decides_under_itself_with_its_tracks_sanction(entry, doc, preset):
    unset = one(incident(rule=entry.key), context(preset=preset))
    assert unset.rule_id == f"retail.{entry.key}" and unset.citation == entry.citation(doc)
    assert unset.outcome["track"] == entry.track and unset.outcome["category"] == entry.category
    expected = OUTSIDE_THE_SANCTIONS.get(entry.track, ("not_configured", None))
    assert (unset.outcome["status"], unset.outcome["sanction"]) == expected
    configured = one(incident(rule=entry.key), context(preset=preset, **CONFIGURED))
    if entry.track in OUTSIDE_THE_SANCTIONS:
        # The company's sanctions never replace what the text fixes or what is not a sanction.
        assert (configured.outcome["status"], configured.outcome["sanction"]) == expected
    else:
        assert configured.outcome["status"] == "decided" and configured.outcome["sanction"] == "fine"
        assert "罚款50.00元" in configured.explanation and entry.citation(doc).clause in configured.explanation


@pytest.mark.parametrize("entry", CONDUCT, ids=[e.key for e in CONDUCT])
def test_each_rule_is_found_from_its_title_and_clause_or_offered_among_the_clauses_rules(entry):
    assert resolve(entry.title, None) == (entry.key, (), "title")
    # 客户管理制度3's rules are named by key or title: their clauses are not numbered like the store rules'.
    for doc in ("sales", "doc9") if entry.citation("sales").clause.startswith("篇") else ():
        first = entry.citation(doc).clause.split("、")[0]
        key, candidates, how = resolve(first, None)
        assert key == entry.key or (how == "ambiguous" and entry.key in candidates), (doc, first)


@pytest.mark.parametrize("entry", [e for e in CONDUCT if e.keywords], ids=[e.key for e in CONDUCT if e.keywords])
def test_each_rules_keywords_find_it_or_name_it_as_a_candidate(entry):
    words = entry.keywords[0].replace("*", "")
    key, candidates, how = resolve(None, f"员工{words}")
    assert key == entry.key or (how == "ambiguous" and entry.key in candidates)


@pytest.mark.parametrize("behaviour", ["整理货架并补货", "按时到岗,接待顾客热情", ""])
def test_a_behaviour_no_rule_describes_fires_no_rule(behaviour):
    d = one(incident(behaviour=behaviour or None))
    assert d.rule_id == "retail.conduct_unmatched" and d.outcome["status"] == "unmatched" and d.outcome["sanction"] is None
    assert "暂不处罚" in d.explanation
