"""One set of Pydantic models for the forms, the import and the data layer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from xoro_tui.data.models import money
from xoro_tui.data.models.choices import (
    ChoiceEnum,
    DocumentType,
    MandateStatus,
    PaymentMethod,
    PortalStatus,
    RefundStatus,
)
from xoro_tui.data.models.validators import (
    Date,
    Flag,
    MultiValue,
    Name,
    OptionalDate,
    OptionalEmail,
    OptionalMemo,
    OptionalName,
    OptionalPhone,
    OptionalPlainText,
    OptionalText,
    RefundDate,
    RequiredCode,
    empty_to_none,
    looks_like_card_number,
)


def optional_choice(choices: type[ChoiceEnum]) -> Any:
    """An optional fixed-list field: empty is no value, any case matches, unknown lists the
    known names."""

    def parse(value: object) -> object:
        value = empty_to_none(value)
        return None if value is None else choices.parse(value)

    return Annotated[choices | None, BeforeValidator(parse)]


_Choice = TypeVar("_Choice", bound=ChoiceEnum)

if TYPE_CHECKING:
    OptionalChoice: TypeAlias = _Choice | None
else:

    class OptionalChoice:
        """``OptionalChoice[RefundStatus]``: :func:`optional_choice` written as a type, so
        the type checker reads it as ``RefundStatus | None``."""

        def __class_getitem__(cls, choices: type[ChoiceEnum]) -> Any:
            return optional_choice(choices)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Address(_Model):
    line1: OptionalText = None
    line2: OptionalText = None
    city: OptionalText = None
    state: OptionalText = None
    postal_code: OptionalPlainText = None
    country: OptionalText = None

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())


class CustomerIn(_Model):
    """A customer as a form or an import row gives it (field names are the CSV headers)."""

    account_number: RequiredCode
    name: Name
    type_name: OptionalName = None
    email: OptionalEmail = None
    phone: OptionalPhone = None
    bill_to_line1: OptionalText = None
    bill_to_line2: OptionalText = None
    bill_to_city: OptionalText = None
    bill_to_state: OptionalText = None
    bill_to_postal_code: OptionalPlainText = None
    bill_to_country: OptionalText = None
    ship_to_line1: OptionalText = None
    ship_to_line2: OptionalText = None
    ship_to_city: OptionalText = None
    ship_to_state: OptionalText = None
    ship_to_postal_code: OptionalPlainText = None
    ship_to_country: OptionalText = None
    sales_rep: OptionalName = None
    payment_terms: OptionalName = None
    customer_group: OptionalName = None
    order_type: OptionalName = None
    default_shipping_terms: OptionalName = None
    default_payment_method: OptionalName = None
    tags: MultiValue = Field(default_factory=list)
    brands: MultiValue = Field(default_factory=list)
    references: MultiValue = Field(default_factory=list)
    is_active: Flag = True
    is_restricted: Flag = False
    show_invoice_credit_deposit_on_portal: Flag = False
    portal_status: OptionalChoice[PortalStatus] = None
    portal_email: OptionalEmail = None
    mandate_status: OptionalChoice[MandateStatus] = None
    mandate_reference: OptionalPlainText = None
    mandate_date: OptionalDate = None

    @property
    def ship_to(self) -> Address:
        return Address(
            line1=self.ship_to_line1,
            line2=self.ship_to_line2,
            city=self.ship_to_city,
            state=self.ship_to_state,
            postal_code=self.ship_to_postal_code,
            country=self.ship_to_country,
        )


CUSTOMER_FIELDS: tuple[str, ...] = tuple(CustomerIn.model_fields)
CUSTOMER_LOOKUP_FIELDS: dict[str, str] = {
    "type_name": "customer_types",
    "sales_rep": "sales_reps",
    "payment_terms": "payment_terms",
    "customer_group": "customer_groups",
    "order_type": "order_types",
    "default_shipping_terms": "shipping_terms",
    "default_payment_method": "payment_methods",
}
CUSTOMER_MULTI_FIELDS: dict[str, str] = {"tags": "tags", "brands": "brands"}
SHIP_TO_FIELDS: tuple[str, ...] = tuple(f for f in CUSTOMER_FIELDS if f.startswith("ship_to_"))


class Customer(CustomerIn):
    """A stored customer."""

    model_config = ConfigDict(extra="ignore")

    id: int
    version: int
    state: str = "active"
    portal_email_status: str | None = None
    portal_email_reason: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class SiteIn(_Model):
    name: OptionalName = None
    line1: OptionalText = None
    line2: OptionalText = None
    city: OptionalText = None
    state: OptionalText = None
    postal_code: OptionalPlainText = None
    country: OptionalText = None
    is_default: Flag = False


class Site(SiteIn):
    model_config = ConfigDict(extra="ignore")
    id: int
    customer_id: int
    version: int


class CardIn(_Model):
    """A saved card: brand, last 4, expiry and a provider token; never a full number or CVV."""

    brand: Name
    last4: str
    exp_month: int = Field(ge=1, le=12)
    exp_year: int = Field(ge=2000, le=2100)
    cardholder: OptionalName = None
    provider_token: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("card_number", "number", "pan", "cvv", "cvc", "cvv2", "security_code"):
                if data.get(key):
                    kind = "CVV" if key.startswith(("cv", "sec")) else "full card number"
                    raise ValueError(f"a {kind} is never stored; keep only the last 4 digits")
        return data

    @field_validator("last4", mode="before")
    @classmethod
    def _last4(cls, value: object) -> str:
        text = str(value or "").replace(" ", "").replace("-", "")
        if len(text) > 4 and text.isdigit():
            raise ValueError("a full card number is never stored; give only the last 4 digits")
        if len(text) != 4 or not text.isdigit():
            raise ValueError("exactly the last 4 digits of the card")
        return text

    @field_validator("cardholder", "provider_token")
    @classmethod
    def _no_pan(cls, value: str | None) -> str | None:
        if value and looks_like_card_number(value):
            raise ValueError("looks like a full card number; never store one")
        return value


class Card(CardIn):
    model_config = ConfigDict(extra="ignore")
    id: int
    customer_id: int
    version: int


class RefundIn(_Model):
    """A refund as the import and the form give it (field names are the CSV headers)."""

    refund_number: RequiredCode
    customer_account_number: RequiredCode
    refund_date: RefundDate
    amount: int = Field(description="minor units of currency")
    currency: str
    status: RefundStatus
    payment_method: PaymentMethod
    refund_account: OptionalName = None
    cheque_number: int | None = Field(default=None, ge=1, le=10**12)
    memo: OptionalMemo = None
    reference: OptionalText = None
    source_document: OptionalText = None
    void_reason: OptionalMemo = None
    created_by: OptionalName = None
    approved_by: OptionalName = None

    @model_validator(mode="before")
    @classmethod
    def _money(cls, data: Any) -> Any:
        """Amounts arrive as text; they become exact minor units of the row's currency."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        currency = data.get("currency")
        if isinstance(currency, str) and currency.strip():
            try:
                data["currency"] = money.normalise_currency(currency)
            except ValueError:
                return data
            amount = data.get("amount")
            if isinstance(amount, str) and amount.strip():
                try:
                    data["amount"] = money.to_minor(amount, data["currency"])
                except ValueError as exc:
                    data["amount"] = _Bad(str(exc))
        return data

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> object:
        if isinstance(value, _Bad):
            raise ValueError(value.reason)
        if isinstance(value, str) and not value.strip():
            raise ValueError("missing")
        if isinstance(value, float):
            raise ValueError("amounts are exact; give them as text")
        return value

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("a refund amount is more than zero")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("missing")
            return money.normalise_currency(value)
        return value

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return RefundStatus.parse(value)

    @field_validator("payment_method", mode="before")
    @classmethod
    def _method(cls, value: object) -> object:
        return PaymentMethod.parse(value)

    @field_validator("cheque_number", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return empty_to_none(value)


class _Bad:
    def __init__(self, reason: str) -> None:
        self.reason = reason


REFUND_FIELDS: tuple[str, ...] = tuple(RefundIn.model_fields)
REFUND_REQUIRED_HEADERS: tuple[str, ...] = (
    "refund_number",
    "customer_account_number",
    "refund_date",
    "amount",
    "currency",
    "status",
    "payment_method",
    "refund_account",
    "cheque_number",
    "memo",
)
CUSTOMER_REQUIRED_HEADERS: tuple[str, ...] = (
    "account_number",
    "name",
    "type_name",
    "email",
    "phone",
    "ship_to_line1",
    "ship_to_city",
    "ship_to_state",
    "ship_to_postal_code",
    "ship_to_country",
    "sales_rep",
    "payment_terms",
    "customer_group",
    "tags",
    "is_active",
)


class Refund(_Model):
    """A stored refund, with the names a screen shows."""

    model_config = ConfigDict(extra="ignore")

    id: int
    refund_number: str
    customer_id: int
    customer_account_number: str
    customer_name: str
    refund_date: dt.date
    amount: int
    currency: str
    status: RefundStatus
    payment_method: PaymentMethod
    refund_account: str | None = None
    cheque_number: int | None = None
    memo: str | None = None
    reference: str | None = None
    source_document_id: int | None = None
    source_document: str | None = None
    void_reason: str | None = None
    created_by: str | None = None
    approved_by: str | None = None
    print_count: int = 0
    version: int
    updated_at: str | None = None


class LineIn(_Model):
    item: OptionalName = None
    description: OptionalMemo = None
    quantity: str = "1"
    rate: int = 0
    amount: int = 0


class DocumentIn(_Model):
    doc_type: DocumentType
    customer_id: int
    doc_date: Date
    #: None: the customer's billing currency (:mod:`xoro_tui.data.customers.billing_currency`)
    currency: str | None = None
    terms: OptionalName = None
    site_id: int | None = None
    memo: OptionalMemo = None
    reference: OptionalText = None
    method: OptionalName = None
    lines: list[LineIn] = Field(default_factory=list)
    total: int = 0


#: Pydantic error types explained as the format expected (the got value follows)
_AS_FORMAT: dict[str, str] = {
    "date_parsing": "a date like 2026-11-23",
    "date_from_datetime_parsing": "a date like 2026-11-23",
    "date_from_datetime_inexact": "a date like 2026-11-23, without a time",
    "date_type": "a date like 2026-11-23",
    "datetime_parsing": "a date and time like 2026-11-23 14:30",
    "datetime_from_date_parsing": "a date and time like 2026-11-23 14:30",
    "int_parsing": "a whole number like 1001",
    "int_from_float": "a whole number like 1001",
    "int_type": "a whole number like 1001",
    "bool_parsing": "true or false (yes/no, 1/0)",
    "decimal_parsing": "a number like 1999.99",
    "float_parsing": "a number like 1999.99",
}


def _shown(value: object) -> str:
    text = str(value) if value is not None else ""
    text = " ".join(text.split())
    if len(text) > 40:
        text = text[:39] + "…"
    return text if text else "an empty cell"


def errors_by_field(exc: ValidationError) -> list[tuple[str, str]]:
    """Turn a Pydantic error into (field, reason) pairs a person can read."""
    out: list[tuple[str, str]] = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
        field = loc[0] if loc else "row"
        kind = err.get("type", "")
        if kind == "missing":
            reason = "missing"
        elif kind in _AS_FORMAT:
            reason = f"{_AS_FORMAT[kind]}; got {_shown(err.get('input'))}"
        else:
            reason = str(err.get("msg", "invalid"))
            for prefix in ("Value error, ", "Assertion failed, "):
                if reason.startswith(prefix):
                    reason = reason[len(prefix) :]
        out.append((field, reason))
    return out
