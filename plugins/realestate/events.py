"""The sales-floor event model: event types (English codes, Chinese labels accepted) and, per type,
the marshmallow schema of the ``details`` dict of a core ``FloorEvent``.

``validate_event(event)`` returns ``(type_code, details)`` with the details loaded (dates parsed,
defaults filled) or raises :class:`marshmallow.ValidationError` whose messages name the field
(``{"details": {"fault": [...]}}`` or ``{"event_type": [...]}``). The README documents each type
with JSON-lines and CSV examples.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ...core.fastpath import Defer, FastLoader
from ...core.fields import Choice
from .records import FloorEvent

ABSENCE_REASON = {"none": "无正当理由", "busy": "忙于接待", "errand": "领导临时安排", "business": "因公外出"}
FAULT = {"none": "无过错", "general": "一般过错", "serious": "严重过错"}
RELATION = {"spouse": "夫妻", "parent_child": "父母子女", "in_law": "公婆岳父母", "sibling": "兄弟姐妹", "other": "其他亲戚"}
DESIGNATION_STAGE = {"before": "接待前", "during": "接待中途"}
CHANGE_KIND = {"rename": "更名", "unit_change": "换房"}
LEAVE_KIND = {"long_leave": "长假", "transfer": "调离"}
RECOGNITION_METHOD = {"on_site": "当场认出", "archive": "查潜在客户档案"}
REFERRAL_RELATION = {"private": "私人关系", "work": "工作接触"}
CONFIRM_METHOD = {"accompany": "陪同登记", "phone": "电话确认"}

# code -> Chinese label
EVENT_TYPES: dict[str, str] = {
    "roster": "排班",
    "sign_in": "签到",
    "sign_out": "签退",
    "away": "离岗",
    "back": "返岗",
    "unready": "准备不足",
    "visit": "来访",
    "registration": "来访登记",
    "approval": "登记审核",
    "call": "来电",
    "followup": "跟进",
    "recognition": "认出",
    "designation": "指定接待",
    "rejection": "拒绝接待",
    "referral_registration": "员工介绍登记",
    "referral_confirmation": "员工介绍确认",
    "company_introduction": "公司介绍",
    "relation": "亲属关系",
    "referral_notice": "老带新报备",
    "deal": "成交",
    "change": "成交变更",
    "staff_leave": "长假调离",
    "quarrel": "争吵",
    "dispute": "归属争议",
    "ruling": "裁定",
}
_BY_LABEL = {label: code for code, label in EVENT_TYPES.items()} | {
    "来访登记表": "registration", "来电登记": "call", "回访": "followup", "指定": "designation",
    "更名": "change", "换房": "change", "调离": "staff_leave", "长假": "staff_leave",
}

# Which of the FloorEvent's own columns each type needs.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": (),
    "sign_in": ("staff_code",),
    "sign_out": ("staff_code",),
    "away": ("staff_code",),
    "back": ("staff_code",),
    "unready": ("staff_code",),
    "visit": ("customer_code",),
    "registration": ("staff_code", "customer_code"),
    "approval": (),
    "call": ("customer_code",),
    "followup": ("staff_code", "customer_code"),
    "recognition": ("staff_code", "customer_code"),
    "designation": ("staff_code", "customer_code", "other_staff_code"),
    "rejection": ("staff_code", "customer_code"),
    "referral_registration": ("staff_code", "customer_code"),
    "referral_confirmation": ("staff_code", "customer_code"),
    "company_introduction": ("customer_code",),
    "relation": ("customer_code", "related_customer_code"),
    "referral_notice": ("staff_code", "customer_code", "related_customer_code"),
    "deal": ("staff_code", "customer_code"),
    "change": ("customer_code",),
    "staff_leave": ("staff_code",),
    "quarrel": ("staff_code", "customer_code", "other_staff_code"),
    "dispute": ("customer_code",),
    "ruling": ("customer_code",),
}


def required(value: str | None) -> str:
    """A ``FloorEvent`` column that ``REQUIRED_COLUMNS`` lists for the event's type.

    The columns are optional on the record, but ``validate_event`` rejects an event missing one
    of its type's columns before any replay handler sees it, so a handler reading such a column
    (or a pending registration it stored) always finds a value.
    """
    assert value is not None, "validate_event checks REQUIRED_COLUMNS before a handler runs"
    return value


def normalise_type(value: str) -> str:
    """The English code of an event type given as code or Chinese label; ValidationError otherwise."""
    text = (value or "").strip()
    if text in EVENT_TYPES:
        return text
    if text in _BY_LABEL:
        return _BY_LABEL[text]
    raise ValidationError({"event_type": [f"'{text}' is not a realestate floor event type; known: " + ", ".join(f"{c}({l})" for c, l in EVENT_TYPES.items())]})


class Details(Schema):
    class Meta:
        unknown = RAISE

    note = fields.String(load_default=None)


class RosterDetails(Details):
    order = fields.List(fields.String(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=1))

    @validates_schema
    def _unique(self, data, **kwargs):
        order = data.get("order", [])
        if len(set(order)) != len(order):
            raise ValidationError("staff codes must not repeat", "order")


class AwayDetails(Details):
    reason = Choice(ABSENCE_REASON, load_default="none")
    approved = fields.Boolean(load_default=False)


class VisitDetails(Details):
    visited_before = fields.Boolean(load_default=None, allow_none=True)
    named_staff = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    designated = fields.String(load_default=None, allow_none=True)
    manager_approved = fields.Boolean(load_default=False)
    declines_original = fields.Boolean(load_default=False)
    unreported_referrer = fields.String(load_default=None, allow_none=True)
    # 万科§7.5c / 置业顾问 五.7C: the old customer who sent this new one without coming or calling.
    referred_by = fields.String(load_default=None, allow_none=True)
    # A second old customer who came along with ``related_customer_code`` (万科§7.7 / 五.7F / 细则(五)4).
    also_brought_by = fields.String(load_default=None, allow_none=True)


class RegistrationDetails(Details):
    approved = fields.Boolean(load_default=True)
    corrects = fields.String(load_default=None, allow_none=True)
    void = fields.Boolean(load_default=False)
    form_no = fields.String(load_default=None, allow_none=True)

    @validates_schema
    def _void_needs_ref(self, data, **kwargs):
        if data.get("void") and not data.get("corrects"):
            raise ValidationError("a void registration must name the record it corrects", "corrects")


class ApprovalDetails(Details):
    ref_event_id = fields.String(required=True, validate=validate.Length(min=1))
    approved = fields.Boolean(load_default=True)


class DesignationDetails(Details):
    stage = Choice(DESIGNATION_STAGE, load_default="during")
    manager_approved = fields.Boolean(load_default=False)
    instigated = fields.Boolean(load_default=False)
    # 细则(五)3(6): the customer went to b only to get a bigger discount.
    for_discount = fields.Boolean(load_default=False)


class RecognitionDetails(Details):
    # on_site: the original salesperson and the customer recognise each other on the floor;
    # archive: after the customer left, the receiver found the original in the potential-customer file.
    method = Choice(RECOGNITION_METHOD, load_default="on_site")


class RejectionDetails(Details):
    fault = Choice(FAULT, load_default="none")
    insists = fields.Boolean(load_default=False)
    complaint = fields.Boolean(load_default=False)
    verified = fields.Boolean(load_default=False)


class ReferralRegistrationDetails(Details):
    appointment_date = fields.Date(required=True)
    # 员工介绍办法 第1条: only relatives and friends (私人关系); a customer met at work is not a referral.
    # Unstated: the project manager's confirmation (第4条) certifies it is a private client.
    relation = Choice(REFERRAL_RELATION, load_default=None, allow_none=True)
    form_no = fields.String(load_default=None, allow_none=True)


class ReferralConfirmationDetails(Details):
    confirmed_by = fields.String(load_default=None, allow_none=True)
    method = Choice(CONFIRM_METHOD, load_default="accompany")


class CompanyIntroductionDetails(Details):
    introducer = fields.String(required=True, validate=validate.Length(min=1))
    leader_designated = fields.String(load_default=None, allow_none=True)


class RelationDetails(Details):
    relation = Choice(RELATION, required=True)


class DealEventDetails(Details):
    deal_code = fields.String(load_default=None, allow_none=True)
    commission = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))
    price = fields.Decimal(load_default=None, allow_none=True, validate=validate.Range(min=0))
    unit = fields.String(load_default=None, allow_none=True)


class ChangeDetails(Details):
    kind = Choice(CHANGE_KIND, required=True)
    deal_code = fields.String(load_default=None, allow_none=True)
    new_unit = fields.String(load_default=None, allow_none=True)


class LeaveDetails(Details):
    kind = Choice(LEAVE_KIND, load_default="long_leave")
    reassign_to = fields.String(load_default=None, allow_none=True)
    reassignments = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    # 细则(五)3(12) random draw: who draws (default: the day's rotation but the leaver) and the seed.
    draw_among = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    draw_seed = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))


class DisputeDetails(Details):
    reason = fields.String(load_default=None, allow_none=True)


class RulingDetails(Details):
    approved_by = fields.String(load_default=None, allow_none=True)
    shares = fields.List(fields.Dict(), load_default=list)

    @validates_schema
    def _shares(self, data, **kwargs):
        total = Decimal(0)
        for i, item in enumerate(data.get("shares", [])):
            if "party" not in item or "share" not in item:
                raise ValidationError(f"share {i}: needs party and share", "shares")
            try:
                value = Decimal(str(item["share"]))
            except InvalidOperation:
                raise ValidationError(f"share {i}: '{item['share']}' is not a number", "shares") from None
            if value < 0:
                raise ValidationError(f"share {i}: must not be negative", "shares")
            total += value
        if data.get("shares") and total != 1:
            raise ValidationError(f"shares must add up to 1 (got {total})", "shares")


DETAIL_SCHEMAS: dict[str, type[Schema]] = {
    "roster": RosterDetails,
    "sign_in": Details,
    "sign_out": Details,
    "away": AwayDetails,
    "back": Details,
    "unready": Details,
    "visit": VisitDetails,
    "registration": RegistrationDetails,
    "approval": ApprovalDetails,
    "call": Details,
    "followup": Details,
    "recognition": RecognitionDetails,
    "designation": DesignationDetails,
    "rejection": RejectionDetails,
    "referral_registration": ReferralRegistrationDetails,
    "referral_confirmation": ReferralConfirmationDetails,
    "company_introduction": CompanyIntroductionDetails,
    "relation": RelationDetails,
    "referral_notice": Details,
    "deal": DealEventDetails,
    "change": ChangeDetails,
    "staff_leave": LeaveDetails,
    "quarrel": Details,
    "dispute": DisputeDetails,
    "ruling": RulingDetails,
}
assert set(DETAIL_SCHEMAS) == set(EVENT_TYPES) == set(REQUIRED_COLUMNS)

_SCHEMA_INSTANCES: dict[str, Schema] = {}


# The common, certainly-valid details take the core's schema-derived fast path; anything else, and
# every error message, is marshmallow's. Equivalence is property-tested in test_realestate_events.py.
_FAST: dict[str, FastLoader] = {}


# Per type, what empty details load to (its defaults), when the fast path accepts them: most floor
# events (registrations, calls, follow-ups) carry no details, and loading nothing gives the same
# values every time. Mutable defaults (a list, a dict) are made afresh for each event.
_EMPTY: dict[str, dict[str, Any]] = {}


def load_details(event_type: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Load one type's details; ValidationError messages are nested under ``details``."""
    data = details or {}
    fast = _FAST.get(event_type)
    if fast is None:
        fast = _FAST[event_type] = FastLoader(DETAIL_SCHEMAS[event_type])
    if not data:
        empty = _EMPTY.get(event_type)
        if empty is None and fast.supported:
            try:
                empty = _EMPTY[event_type] = fast.load({})
            except Defer:  # a required key: marshmallow words the error, every time
                pass
        if empty is not None:
            values = empty.copy()
            for name, factory in fast.factories:
                values[name] = factory()
            return values
    if fast.supported and type(data) is dict:
        try:
            return fast.load(data)
        except Defer:
            pass
    return load_details_slow(event_type, data)


def load_details_slow(event_type: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Marshmallow itself: the rules and every error message."""
    schema = _SCHEMA_INSTANCES.get(event_type)
    if schema is None:
        schema = _SCHEMA_INSTANCES[event_type] = DETAIL_SCHEMAS[event_type]()
    try:
        return schema.load(dict(details or {}))
    except ValidationError as exc:
        raise ValidationError({"details": exc.messages}) from None


def validate_event(event: FloorEvent) -> tuple[str, dict[str, Any]]:
    """Check a floor event against its type: the type, the columns it needs, its details."""
    code = normalise_type(event.event_type)
    columns = REQUIRED_COLUMNS[code]
    for col in columns:
        if not getattr(event, col):
            missing = [col for col in columns if not getattr(event, col)]
            raise ValidationError({col: [f"required for event type {code}"] for col in missing})
    details = load_details(code, event.details)
    return code, details
