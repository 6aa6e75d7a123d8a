"""A plugin README's rule table, checked against the plugin's rule catalogue.

The table is the first Markdown table whose first header cell is ``rule id``. Two layouts:

- a ``clause`` column (and optionally ``document``): each row names one rule and one of its
  clauses; a clause cell may start with a short name of the document (``油品调运 第十一条(三)``);
- one column per document (``documents={"万科 (vanke)": "万科房地产销售部客户管理制度", ...}``): each
  cell holds the clause that document gives the rule, ``—`` where it has none.

A short document name matches a title holding its characters in order (油品调运 ⊂ 工贸油品调运分公司客户管理办法).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from ..decisions import Citation, Rule

NONE_MARKS = ("—", "-", "–", "")


def table_rows(path: str | Path) -> list[dict[str, str]]:
    """The rule table's rows, header -> cell text (backticks stripped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for at, line in enumerate(lines):
        cells = _cells(line)
        if cells and cells[0].lower() == "rule id":
            header = cells
            rows = []
            for row in lines[at + 2:]:
                if not row.strip().startswith("|"):
                    break
                values = _cells(row)
                rows.append(dict(zip(header, values + [""] * (len(header) - len(values)))))
            return rows
    raise ValueError(f"{path}: no table whose first column is 'rule id'")


def mismatches(path: str | Path, rules: Iterable[Rule], documents: Mapping[str, str] | None = None) -> list[str]:
    """What the README's table says that the catalogue does not (and the rules it leaves out)."""
    by_id: dict[str, set[Citation]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, set()).add(rule.citation)
    problems: list[str] = []
    listed: set[str] = set()
    for row in table_rows(path):
        rule_id = row.get("rule id", "")
        listed.add(rule_id)
        citations = by_id.get(rule_id)
        if citations is None:
            problems.append(f"{rule_id}: in the README, not in the catalogue")
            continue
        if documents:
            for column, document in documents.items():
                cell = row.get(column, "")
                held = {c for c in citations if c.document == document}
                if cell in NONE_MARKS:
                    if held:
                        problems.append(f"{rule_id}: README says {column} has no clause; the catalogue cites {', '.join(sorted(c.clause for c in held))}")
                elif not any(_cites(cell, c, document) for c in citations):
                    problems.append(f"{rule_id}: {column} '{cell}' is not a clause the catalogue gives it")
            continue
        cell = row.get("clause", "")
        if not any(_cites(cell, c, None) for c in citations):
            problems.append(f"{rule_id}: clause '{cell}' is not one the catalogue gives it ({'; '.join(sorted(map(str, citations)))})")
        document_cell = row.get("document", "")
        if document_cell and not any(_short_for(document_cell, c.document) for c in citations):
            problems.append(f"{rule_id}: document '{document_cell}' is not one the catalogue cites")
    for rule_id in sorted(by_id.keys() - listed):
        problems.append(f"{rule_id}: in the catalogue, missing from the README's table")
    return problems


def _cites(cell: str, citation: Citation, column_document: str | None) -> bool:
    """The cell is the citation's clause, alone (then in the column's document, if any) or after a short document name."""
    cell = " ".join(cell.split())
    if cell == citation.clause:
        return column_document is None or citation.document == column_document
    head, _, clause = cell.partition(" ")
    return clause == citation.clause and _short_for(head, citation.document)


def _short_for(short: str, document: str) -> bool:
    """``short`` names ``document``: its characters appear in the title in order."""
    remaining = iter(document)
    return bool(short) and all(ch in remaining for ch in short)


def _cells(line: str) -> list[str]:
    text = line.strip()
    if not (text.startswith("|") and text.endswith("|")):
        return []
    return [c.strip().strip("`").strip() for c in text[1:-1].split("|")]
