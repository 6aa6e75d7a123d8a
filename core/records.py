"""The record kinds every policy family shares: customer and staff identity.

Everything else a policy decides on (a chemical customer's tier fields, complaints, floor events,
vehicle files) is declared by its plugin through the ``record_kinds`` hook; a plugin may extend
``customer`` or ``staff`` with fields of its own (``RecordKind(extends="customer")``).
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate

from .fields import Code, RecordSchema, personal, zh
from .kinds import RecordKind


@dataclass(slots=True)
class Customer:
    code: str
    name: str
    phone: str | None = None


class CustomerSchema(RecordSchema):
    record_class = Customer
    code = fields.String(required=True, validate=Code, **zh("客户编码"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200), **zh("客户名称"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("联系电话"))


@dataclass(slots=True)
class Staff:
    code: str
    name: str
    role: str | None = None
    team: str | None = None
    phone: str | None = None


class StaffSchema(RecordSchema):
    record_class = Staff
    code = fields.String(required=True, validate=Code, **zh("工号"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), **zh("姓名"))
    role = fields.String(load_default=None, validate=validate.Length(max=64), **zh("岗位"))
    team = fields.String(load_default=None, validate=validate.Length(max=64), **zh("部门"))
    phone = fields.String(load_default=None, validate=validate.Length(max=32), **personal("手机号码"))


SHARED_KINDS: tuple[RecordKind, ...] = (
    RecordKind("customer", "客户", CustomerSchema, ("code",), "code", description="customer identity"),
    RecordKind("staff", "员工", StaffSchema, ("code",), "code", description="staff identity"),
)
