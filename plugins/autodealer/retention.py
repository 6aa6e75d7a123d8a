"""汽车客户管理制度 四: how long a vehicle's files are kept, and when they move to the sealed archive.

四.1: files of vehicles still serviced here are kept until 5 years after the last service.
四.2: a vehicle with no service or maintenance here within 3 years is kept 5 years from the file's
creation; when that has run out, its files move to the sealed archive (档案库封存).

Reading (one decision per vehicle, as of ``--as-of``): the last service is the latest handover (交车)
of the vehicle's service files; the creation is the earliest 建档日期 of its files (else the earliest
delivery). The files are due to move on the later of (creation + 5 years) and (last service, or
creation when never serviced, + 3 years): by then both conditions of 四.2 hold. ``keep_until`` is
四.1's date (last service + 5 years; creation + 5 years when never serviced). Files already sealed
(封存日期) are reported as such. 客户管理制度14 sets no retention period: its vehicles get a decision
saying so.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ...core.decisions import Decision
from . import rules
from .audit import event_day, file_policy
from .records import VehicleFile
from .text import day
from .vocabulary import FAW_VW


def add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def retention_decisions(files: list[VehicleFile], params: Mapping[str, Any], as_of: date) -> list[Decision]:
    by_vin: dict[str, list[VehicleFile]] = {}
    for f in files:
        by_vin.setdefault(f.vin, []).append(f)
    return [vehicle_retention(vin, items, params, as_of) for vin, items in by_vin.items()]


def vehicle_retention(vin: str, files: list[VehicleFile], params: Mapping[str, Any], as_of: date) -> Decision:
    policy = file_policy(files[0], params)
    codes = [f.code for f in files]
    if policy != FAW_VW:
        return rules.rule("skoda_no_retention_rule").decide(
            "vehicle", vin, {"policy": policy, "due_to_move": None, "status": "not_in_policy", "files": codes},
            f"车辆{vin}的档案:客户管理制度14未规定档案保管期限,未判定。", {"policy": policy}, inputs={"vin": vin, "files": codes})
    services = [moment.date() for moment in (f.delivered_at or f.received_at for f in files if f.file_type == "service") if moment is not None]
    last_service = max(services) if services else None
    opened = [f.opened_on for f in files if f.opened_on]
    events = [d for d in (event_day(f) for f in files) if d is not None]
    created = min(opened) if opened else (min(events) if events else None)
    inputs = {"vin": vin, "files": codes, "last_service": last_service, "created": created}
    if created is None:
        return rules.rule("faw_retention").decide(
            "vehicle", vin, {"policy": policy, "due_to_move": None, "status": "undated", "files": codes},
            f"车辆{vin}的档案{'、'.join(codes)}未登记建档日期或交车日期,无法计算保管期限。", {}, inputs=inputs)
    after, dormant, years = (params["faw_retention_years_after_service"], params["faw_dormant_years"], params["faw_retention_years_from_creation"])
    keep_until = add_years(last_service or created, after)
    move_on = max(add_years(created, years), add_years(last_service or created, dormant))
    sealed = [f for f in files if f.sealed_on]
    active = last_service is not None and as_of < add_years(last_service, dormant)
    due = not active and as_of >= move_on and len(sealed) < len(files)
    if len(sealed) == len(files):
        status = "sealed"
    elif active:
        status = "serviced"
    elif due:
        status = "due_to_move"
    else:
        status = "dormant"
    last = f"末次维修{day(last_service)}" if last_service else "无本店维修记录"
    head = f"车辆{vin}的档案{len(files)}份(建档{day(created)},{last})"
    if status == "sealed":
        text = f"{head}已于{day(max(f.sealed_on for f in sealed if f.sealed_on))}转入档案库封存"
    elif status == "serviced":
        text = f"{head}:{dormant}年内有本店维修记录,按末次维修期延长{after}年保管至{day(keep_until)}"
    elif status == "due_to_move":
        text = f"{head}:{dormant}年内无本店维修、保养记录,自建档起保管{years}年已于{day(move_on)}期满,应转入档案库封存"
    else:
        text = f"{head}:{dormant}年内无本店维修、保养记录,自建档起保管{years}年,至{day(move_on)}期满后转入档案库封存"
    outcome = {"policy": policy, "status": status, "due_to_move": due, "files": codes, "created": created, "last_service": last_service,
               "keep_until": keep_until, "move_on": move_on, "sealed": [f.code for f in sealed]}
    used = {"faw_retention_years_after_service": after, "faw_dormant_years": dormant, "faw_retention_years_from_creation": years}
    return rules.rule("faw_retention").decide("vehicle", vin, outcome, text + "。", used, inputs=inputs)
