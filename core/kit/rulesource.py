"""`zhidu rules`: every rule of the enabled plugins with its clause, and where its code is.

``defined_at`` is the line that defines the rule (recorded when its ``Rule`` was built, or given by
the plugin). ``used_in`` names the functions that decide under it (``module:function``), found by
reading the plugin's source: a function uses a rule when it names the rule's variable (``TIER``,
``rules.TIER``), a module-level table holding it (``_STATUS_RULES``), or the rule's id or its key
after the plugin's name as a string (``"rotation"`` for ``realestate.rotation``). Functions whose
name contains ``catalogue`` (the ones that list every rule) are not counted.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from ..decisions import Rule

if TYPE_CHECKING:  # pragma: no cover
    from ..plugins import PolicyPlugins
    from ..workspace import Workspace

RULE_COLUMNS = ["rule_id", "plugin", "document", "clause", "title", "defined_at", "used_in"]


def listing(ws: "Workspace", plugin: str | None = None, clause: str | None = None, document: str | None = None) -> list[dict[str, Any]]:
    """`zhidu rules`: the enabled plugins' rules, or the named plugin's (enabled or not)."""
    from ..plugins import PolicyPlugins, check_names

    if plugin is None:
        return rule_rows(ws.plugins, ws.plugin_names, clause, document)
    check_names([plugin])
    plugins = ws.plugins if plugin in ws.plugin_names else PolicyPlugins([plugin])
    return rule_rows(plugins, [plugin], clause, document)


def rule_rows(plugins: "PolicyPlugins", names: Iterable[str], clause: str | None = None,
              document: str | None = None) -> list[dict[str, Any]]:
    """One row per rule and citation of the named plugins; ``clause``/``document``: a substring to match."""
    rows = []
    for name in names:
        rules = plugins.rules.rules(name)
        uses = rule_uses(plugins.infos[name].module, rules) if rules else {}
        for rule in rules:
            if clause and clause not in rule.citation.clause:
                continue
            if document and document not in rule.citation.document:
                continue
            rows.append({
                "rule_id": rule.id, "plugin": name, "document": rule.citation.document, "clause": rule.citation.clause,
                "title": rule.title, "defined_at": display_path(rule.source), "used_in": uses.get(rule.id, []),
            })
    return rows


def display_path(source: str) -> str:
    """``file:line``, relative to the current directory when the file lies below it."""
    path, sep, line = source.rpartition(":")
    if not sep or not path:
        return source
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return source
    return f"{relative}:{line}" if not relative.startswith("..") else source


def plugin_modules(module_name: str) -> list[ModuleType]:
    """The plugin's modules: every module of the package holding its hooks module (or that module alone)."""
    module = importlib.import_module(module_name)
    package_name = module.__name__ if hasattr(module, "__path__") else (module.__package__ or "")
    if not package_name:
        return [module]
    package = importlib.import_module(package_name)
    found = [package]
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), prefix=package_name + "."):
        try:
            found.append(importlib.import_module(info.name))
        except Exception:  # noqa: BLE001 - a module that does not import has no uses to report
            continue
    return found


def rule_uses(module_name: str, rules: Sequence[Rule]) -> dict[str, list[str]]:
    """rule id -> the functions (``module:qualname``) that use it, in source order."""
    ids = {r.id for r in rules}
    parsed = [(m, _parse(m)) for m in plugin_modules(module_name)]
    by_text = {text: rule_id for rule_id in ids for text in (rule_id, rule_id.split(".", 1)[1])}
    names: dict[str, set[str]] = {}  # identifier -> rule ids it stands for
    for module, tree in parsed:
        for name, value in vars(module).items():
            if isinstance(value, Rule) and value.id in ids:
                names.setdefault(name, set()).add(value.id)
        for name, items in _literal_tables(tree):
            held = {r.id for r in _rules_in(getattr(module, name, None)) if r.id in ids}
            held |= {by_text[text] for text in items if text in by_text}
            if held:
                names.setdefault(name, set()).update(held)
    strings: dict[str, set[str]] = {}
    for rule_id in ids:
        strings.setdefault(rule_id, set()).add(rule_id)
        strings.setdefault(rule_id.split(".", 1)[1], set()).add(rule_id)
    uses: dict[str, list[str]] = {rule_id: [] for rule_id in ids}
    for module, tree in parsed:
        for qualname, identifiers, constants in _functions(tree):
            if "catalogue" in qualname.rsplit(".", 1)[-1]:
                continue
            hit: set[str] = set()
            for identifier in identifiers & names.keys():
                hit |= names[identifier]
            for constant in constants & strings.keys():
                hit |= strings[constant]
            where = f"{module.__name__}:{qualname}"
            for rule_id in hit:
                if where not in uses[rule_id]:
                    uses[rule_id].append(where)
    return uses


def _parse(module: ModuleType) -> ast.Module:
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return ast.Module(body=[], type_ignores=[])
    try:
        with open(path, encoding="utf-8") as fh:
            return ast.parse(fh.read(), filename=path)
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ast.Module(body=[], type_ignores=[])


def _literal_tables(tree: ast.Module) -> Iterator[tuple[str, set[str]]]:
    """Module-level names assigned a non-empty dict/list/tuple/set literal (a table of rules, perhaps),
    with the strings it holds as values (``{"grab": "conduct_grab"}``: a table of rule keys)."""
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if not isinstance(value, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            continue
        items = value.values if isinstance(value, ast.Dict) else value.elts
        if not items:
            continue
        texts = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id, texts


def _rules_in(value: Any, depth: int = 3) -> Iterator[Rule]:
    if isinstance(value, Rule):
        yield value
    elif depth > 0 and isinstance(value, dict):
        for item in value.values():
            yield from _rules_in(item, depth - 1)
    elif depth > 0 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _rules_in(item, depth - 1)


def _functions(tree: ast.Module) -> Iterator[tuple[str, set[str], set[str]]]:
    """(qualname, identifiers, string constants) of every function, innermost functions separately."""

    def visit(node: ast.AST, prefix: str) -> Iterator[tuple[str, set[str], set[str]]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qualname = f"{prefix}{child.name}"
                identifiers: set[str] = set()
                constants: set[str] = set()
                _collect(child, identifiers, constants)
                yield qualname, identifiers, constants
                yield from visit(child, qualname + ".")
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.")

    yield from visit(tree, "")


def _collect(function: ast.AST, identifiers: set[str], constants: set[str]) -> None:
    """What a function's own body names (not its nested functions')."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # reported on its own
        if isinstance(node, ast.Name):
            identifiers.add(node.id)
        elif isinstance(node, ast.Attribute):
            identifiers.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
        stack.extend(ast.iter_child_nodes(node))
