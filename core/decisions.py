"""Decision objects: what every hook answers with.

A decision names its subject, a structured outcome, the rule and the clause it applied, and a
one-sentence explanation in Chinese that a sales manager would accept in a dispute. The core
stamps the plugin name and version and the inputs' fingerprint; plugins never touch storage.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any, Callable, Mapping


@dataclass(frozen=True, slots=True)
class Citation:
    """A policy document's title and the clause within it, e.g. 石油销售公司化工品客户管理办法 第九条(二)."""

    document: str
    clause: str

    def __str__(self) -> str:
        return f"{self.document} {self.clause}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a plugin's rule table (its ``rule_catalogue``). ``id`` is namespaced by the
    plugin: ``petrochem.tier``. ``source`` is where the rule is defined (``file:line``), recorded
    when the Rule is built unless given; `zhidu rules` shows it. It takes no part in equality."""

    id: str
    citation: Citation
    title: str = ""
    source: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", _caller_location())

    @property
    def plugin(self) -> str:
        return self.id.split(".", 1)[0]

    def decide(
        self,
        subject_kind: str,
        subject_id: str,
        outcome: Mapping[str, Any],
        explanation: str,
        parameters: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> "Decision":
        return Decision(
            subject_kind=subject_kind,
            subject_id=str(subject_id),
            outcome=dict(outcome),
            rule_id=self.id,
            citation=self.citation,
            explanation=explanation,
            parameters=dict(parameters or {}),
            inputs=dict(inputs) if inputs is not None else None,
        )


def _caller_location() -> str:
    """file:line of the code that built a Rule (skipping this module and generated dataclass code)."""
    frame = sys._getframe(1)
    while frame is not None and (frame.f_code.co_filename == __file__ or frame.f_code.co_filename.startswith("<")
                                 or frame.f_code.co_filename.endswith("dataclasses.py")):
        frame = frame.f_back  # type: ignore[assignment]
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else ""


@dataclass(slots=True)
class Decision:
    subject_kind: str
    subject_id: str
    outcome: dict[str, Any]
    rule_id: str
    citation: Citation
    explanation: str
    parameters: dict[str, Any] = field(default_factory=dict)
    # Filled by the core after the hook returns:
    plugin: str = ""
    plugin_version: str = ""
    # The facts the rule looked at; the core falls back to the subject record itself.
    inputs: dict[str, Any] | None = None
    fingerprint: str = ""
    decision_id: int | None = None
    # When the log took it (time-zone aware); None until logged.
    decided_at: datetime | None = None
    # The canonical JSON texts of "inputs", "outcome" and "parameters" once the core has serialised
    # them (stamping, logging), so the log, its hash chain and the output reuse one serialisation.
    # The core fills it after the rule returns; it is not part of the decision's content.
    canonical: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def canonical_text(self, name: str) -> str:
        """The canonical JSON of ``inputs``, ``outcome`` or ``parameters``, serialised once."""
        text = self.canonical.get(name) if self.canonical is not None else None
        if text is None:
            text = canonical_json(to_jsonable(getattr(self, name)))
            self.keep_canonical(name, text)
        return text

    def keep_canonical(self, name: str, text: str) -> None:
        """Keep the canonical JSON the core made of ``name`` (stamping, logging) for later use."""
        if self.canonical is None:
            self.canonical = {}
        self.canonical[name] = text

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (``decided_at`` in the zone it carries: the company's, in output)."""
        return {
            "decision_id": self.decision_id,
            "subject_kind": self.subject_kind,
            "subject_id": self.subject_id,
            "outcome": to_jsonable(self.outcome),
            "rule_id": self.rule_id,
            "citation": str(self.citation),
            "citation_document": self.citation.document,
            "citation_clause": self.citation.clause,
            "explanation": self.explanation,
            "plugin": self.plugin,
            "plugin_version": self.plugin_version,
            "parameters": to_jsonable(self.parameters),
            "inputs": to_jsonable(self.inputs),
            "fingerprint": self.fingerprint,
            "decided_at": self.decided_at.isoformat() if self.decided_at is not None else None,
        }


_SCALARS = (str, int, float, bool, type(None))


def to_jsonable(value: Any) -> Any:
    """Decimals become strings (never floats: money stays exact), dates ISO strings.

    Hot path (every decision's inputs and outcome): exact-type checks first, ABCs last.
    """
    cls = type(value)
    if cls in _SCALARS:
        return value
    if cls is dict:
        return {str(k) if type(k) is not str else k: to_jsonable(v) for k, v in value.items()}
    if cls is Decimal:
        return str(value)
    if cls is datetime or cls is date or cls is time:
        return value.isoformat()
    if cls is list or cls is tuple:
        return [to_jsonable(v) for v in value]
    fields = _dataclass_fields(cls)
    if fields is not None:
        return {k: to_jsonable(getattr(value, k)) for k in fields}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    return value


_FIELDS_CACHE: dict[type, tuple[str, ...] | None] = {}


def _dataclass_fields(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELDS_CACHE[cls]
    except KeyError:
        names = tuple(cls.__dataclass_fields__) if hasattr(cls, "__dataclass_fields__") else None
        _FIELDS_CACHE[cls] = names
        return names


def attributes_getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """A function giving an object's values of ``names`` as a tuple, in one C call (attrgetter),
    for the loops that turn every record into JSON-ready data."""
    if len(names) == 1:
        (only,) = names
        return lambda value: (getattr(value, only),)
    return attrgetter(*names)


# One encoder for every call: json.dumps with options builds a new one each time (a third of its cost).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _unserialisable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# JSONEncoder.encode builds CPython's C encoder afresh on every call (iterencode): it is built once
# here, with the same options and output. No circular-reference check: the values are trees.
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ENCODE = (_C_ENCODER(None, _unserialisable, encode_basestring, None, ":", ",", True, False, True)
           if _C_ENCODER is not None else None)


def canonical_json(value: Any) -> str:
    """The JSON text stored and fingerprinted: sorted keys, no ASCII escaping, compact."""
    if _ENCODE is None:  # an interpreter without the C encoder
        return _CANONICAL.encode(value)
    return "".join(_ENCODE(value, 0))


def json_piece(value: Any) -> str:
    """``canonical_json(to_jsonable(value))``; a string, the usual case, straight through the string
    encoder. Canonical JSON of a list is its elements' pieces joined by commas, so texts kept
    from earlier serialisations can be put together without serialising them again."""
    return encode_basestring(value) if type(value) is str else canonical_json(to_jsonable(value))


def text_hash(text: str) -> str:
    """The SHA-256 (hex) of a text already serialised: fingerprints, content and row hashes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(inputs: Any) -> str:
    """A stable SHA-256 of a decision's inputs: same facts, same fingerprint."""
    return text_hash(canonical_json(to_jsonable(inputs)))
