"""Meta-tests: every hook is specified with a complete docstring, documented for plugin authors,
combined deliberately, and exercised by a `test_hook_<name>` test (as datasette does for its hooks)."""

import ast
import inspect
from pathlib import Path

import pytest

from zhidu.core import hookspecs

TESTS = Path(__file__).parent
DOCS = TESTS.parent / "docs" / "plugin-hooks.md"

HOOKS = sorted(
    name for name, fn in vars(hookspecs).items()
    if inspect.isfunction(fn) and hasattr(fn, "zhidu_spec")
)


def test_the_hooks_the_brief_names_exist():
    assert {"classify_customer", "route_complaint", "attribute_lead", "split_commission", "validate_archive",
            "assess_conduct", "policy_parameters"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_docstring_says_what_it_receives_returns_none_and_combining(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert "Receives" in doc and "Returns" in doc, hook
    assert "None" in doc, hook
    assert "Combine:" in doc or "Collected" in doc or "added" in doc, hook


@pytest.mark.parametrize("hook", sorted(hookspecs.DECISION_HOOKS))
def test_decision_hooks_declare_how_answers_combine_and_what_they_promise(hook):
    contract = hookspecs.DECISION_HOOKS[hook]
    doc = inspect.getdoc(getattr(hookspecs, hook))
    assert contract.combine in ("first", "all")
    assert f"Combine: ``{contract.combine}``" in doc
    for key in contract.outcome_keys:
        assert f"``{key}``" in doc, (hook, key)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_for_plugin_authors(hook):
    assert f"\n## {hook}\n" in DOCS.read_text(encoding="utf-8")


def _test_function_names():
    names = set()
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                names.add(node.name)
    return names


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    names = _test_function_names()
    assert any(name.startswith(f"test_hook_{hook}") for name in names), f"no test_hook_{hook}* test"
