"""Helpers of the autodealer tests: complete, correct files from the plugin's sample builders
(English field names, loaded through the kind's schema exactly as an import would), broken one
thing at a time, and run through the engine in-process (checked and stamped, not logged)."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date
from typing import Any

from zhidu.core.decisions import to_jsonable
from zhidu.core.history import MemoryHistory
from zhidu.plugins.autodealer import samples
from zhidu.plugins.autodealer.records import SystemEntrySchema, DserpRecordSchema, VehicleFileSchema
from zhidu.testing import decide, make_context

AS_OF = date(2026, 11, 20)


def load(row: dict[str, Any]):
    return VehicleFileSchema().load({k: v for k, v in row.items() if v is not None})


def entry(**row: Any):
    return SystemEntrySchema().load(row)


def dserp(**row: Any):
    return DserpRecordSchema().load(row)


def doc(row: dict[str, Any], doc_type: str) -> dict[str, Any]:
    return next(d for d in row["documents"] if d["doc_type"] == doc_type)


def drop_doc(row: dict[str, Any], doc_type: str) -> dict[str, Any]:
    row["documents"] = [d for d in row["documents"] if d["doc_type"] != doc_type]
    return row


def drop_sig(row: dict[str, Any], doc_type: str, role: str, seq: str | None = None) -> dict[str, Any]:
    row["signatures"] = [s for s in row["signatures"] if not (s["doc_type"] == doc_type and s["role"] == role and (seq is None or s["seq"] == seq))]
    return row


def sig(row: dict[str, Any], doc_type: str, role: str) -> dict[str, Any]:
    return next(s for s in row["signatures"] if s["doc_type"] == doc_type and s["role"] == role)


def measurement(row: dict[str, Any], item: str) -> dict[str, Any]:
    return next(m for m in row["measurements"] if m["item"] == item)


def faw_sales(**changes: Any) -> dict[str, Any]:
    row = samples.faw_sales("F-S1", "LFV3A23C7N3000001", "2026-10-12 16:00", "2026-10-19 09:00")
    return copy.deepcopy(row) | changes


def faw_service(**changes: Any) -> dict[str, Any]:
    row = samples.faw_service("F-W1", "LFV3A23C7N3000002", "2026-10-13 09:00", "2026-10-13 16:30", "2026-10-14 09:30",
                              visit=changes.pop("visit", "保养"), order=changes.pop("order", "2-2026-0001"), km=changes.pop("km", "12000"))
    return copy.deepcopy(row) | changes


def skoda_sales(**changes: Any) -> dict[str, Any]:
    row = samples.skoda_new_car("K-S1", "TMBJG9NE0N0200001", "2026-10-12 10:00", "2026-10-13 09:00")
    return copy.deepcopy(row) | changes


def skoda_service(visit: str = "保养", **changes: Any) -> dict[str, Any]:
    row = samples.skoda_service("K-W1", "TMBJG9NE0N0200002", "2026-10-13 16:00", "2026-10-14 09:00", visit=visit)
    return copy.deepcopy(row) | changes


def context(preset: str | None = None, as_of: date = AS_OF, overrides: dict | None = None, command: str = "vehicle-audit", **kw: Any):
    return make_context("autodealer", preset=preset, as_of=as_of, overrides=overrides, command=command, **kw)


def audit(row: dict[str, Any], preset: str | None = None, as_of: date = AS_OF, overrides: dict | None = None, **kw: Any):
    [d] = decide(["autodealer"], "vehicle-audit", [load(row)], context(preset, as_of, overrides, **kw))
    return d


def run(command: str, records: list, preset: str | None = None, as_of: date = AS_OF, overrides: dict | None = None, **kw: Any):
    return decide(["autodealer"], command, records, context(preset, as_of, overrides, command=command, **kw))


def defects(d) -> list[tuple[str, str]]:
    return [(f["rule"].split(".", 1)[1], f["message"]) for f in d.outcome["findings"] if f["severity"] == "defect"]


def codes(d, severity: str = "defect") -> list[str]:
    return [f["rule"].split(".", 1)[1] for f in d.outcome["findings"] if f["severity"] == severity]


def history(*decisions, command: str = "vehicle-fines") -> MemoryHistory:
    """Committed decisions as the log gives them back: outcomes as JSON (dates and Decimals as text)."""
    logged = [dataclasses.replace(d, outcome=json.loads(json.dumps(to_jsonable(d.outcome)))) for d in decisions]
    return MemoryHistory(decisions=logged, commands={d.decision_id: command for d in logged if d.decision_id is not None})


__all__ = ["AS_OF", "audit", "codes", "context", "defects", "doc", "drop_doc", "drop_sig", "dserp", "entry", "faw_sales",
           "faw_service", "history", "load", "measurement", "run", "sig", "skoda_sales", "skoda_service"]


def sheets(rows: list[dict[str, Any]]) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Whole files (English field names) as the four flat sheets a clerk fills, with Chinese headers:
    one row per file, per document, per signature box and per measured value."""
    from zhidu.plugins.autodealer.records import VehicleDocumentSchema, VehicleMeasurementSchema, VehicleSignatureSchema
    from zhidu.plugins.autodealer.samples import chinese

    out: dict[str, list[dict[str, Any]]] = {"vehicle_file": [], "vehicle_document": [], "vehicle_signature": [], "vehicle_measurement": []}
    children = {"documents": ("vehicle_document", VehicleDocumentSchema), "signatures": ("vehicle_signature", VehicleSignatureSchema),
                "measurements": ("vehicle_measurement", VehicleMeasurementSchema)}
    for row in rows:
        out["vehicle_file"].append(chinese({k: v for k, v in row.items() if k not in children}, VehicleFileSchema))
        for name, (kind, schema) in children.items():
            for item in row.get(name, []):
                out[kind].append(chinese({"file_code": row["code"], **item}, schema))
    return {kind: (list(dict.fromkeys(h for r in items for h in r)), items) for kind, items in out.items()}


def write_csv_sheets(folder, rows: list[dict[str, Any]]) -> dict[str, str]:
    import csv

    paths = {}
    for kind, (header, items) in sheets(rows).items():
        path = folder / f"{kind}.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(items)
        paths[kind] = str(path)
    return paths
