"""Presence on the floor: the roster, signing in and out, absences and returns, unreadiness. These
only change the day's rotation; what the rotation then does is ``rules_reception``'s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import required
from .records import FloorEvent
from .state import Rotation

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


def on_roster(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    rot = rp.rotation
    rot.order = list(d["order"])
    rot.pos = 0
    rot.signed_in.update(rot.order)


def on_sign_in(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    rot = rp.rotation
    staff = required(ev.staff_code)
    if staff not in rot.order:
        rot.order.append(staff)
    rot.signed_in.add(staff)
    _back(rot, staff)


def on_sign_out(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    rot = rp.rotation
    staff = required(ev.staff_code)
    rot.signed_in.discard(staff)
    rot.away.pop(staff, None)
    rot.owed = [o for o in rot.owed if o[0] != staff]


def on_away(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    rot = rp.rotation
    rot.away[required(ev.staff_code)] = (d["reason"], d["approved"])


def on_back(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    _back(rp.rotation, required(ev.staff_code))


def _back(rot: Rotation, staff: str) -> None:
    rot.away.pop(staff, None)
    rot.granted.discard(staff)


def on_unready(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    rp.rotation.unready.add(required(ev.staff_code))
