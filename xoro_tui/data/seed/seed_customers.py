"""Generated customers, with their sites, tags, brands, references, saved cards and search rows.

Everything is a pure function of the plan (seed, sizes, today) and the customer number, so
chunks can be generated in any order, or in another process, and still agree. The rows
are valid by construction: nothing here goes through the Pydantic models.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import accumulate
from typing import TypeVar

from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.phones import searchable_phone
from xoro_tui.data.seed import seed_names as N

T = TypeVar("T")
CUSTOMER_YEARS = 5
REFUND_YEARS = 3
_CUM_WEIGHTS = list(accumulate(c.weight for c in N.COUNTRIES))
_ASCII_MAP = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "'": "", " ": ""}
)
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_DIGITS = "0123456789"
_TOKEN = str.maketrans("0123456789", "ghijklmnop")  # hex without digits: never a card number
#: (customer columns, in the order customer rows hold them)
CUSTOMER_COLUMNS = (
    "id", "account_number", "name", "type_name", "email", "phone", "bill_to_line1",
    "bill_to_line2", "bill_to_city", "bill_to_state", "bill_to_postal_code", "bill_to_country",
    "sales_rep", "payment_terms", "customer_group", "order_type", "default_shipping_terms",
    "default_payment_method", "is_active", "is_restricted", "show_invoice_credit_deposit_on_portal",
    "portal_status", "portal_email", "portal_email_status", "portal_email_reason",
    "portal_email_checked_at", "mandate_status", "mandate_reference", "mandate_date", "state",
    "deleted_at", "created_at", "updated_at",
)  # fmt: skip
SITE_COLUMNS = ("id", "customer_id", "name", "line1", "line2", "city", "state", "postal_code",
                "country", "is_default", "created_at")  # fmt: skip
CARD_COLUMNS = ("customer_id", "brand", "last4", "exp_month", "exp_year", "cardholder",
                "provider_token", "created_at")  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What to generate. ``today`` anchors every date so a run is reproducible."""

    seed: int
    customers: int
    refunds: int
    today: dt.date
    other_documents: int = 0
    #: a line on every deposit, credit memo and refund (left out at scale, to save time)
    lines: bool = True

    @property
    def customer_start(self) -> dt.date:
        return self.today - dt.timedelta(days=365 * CUSTOMER_YEARS)

    @property
    def refund_start(self) -> dt.date:
        return self.today - dt.timedelta(days=365 * REFUND_YEARS)

    @cached_property
    def days(self) -> list[str]:
        """ISO dates by day offset from ``customer_start`` (through ``today``)."""
        start = self.customer_start
        return [
            (start + dt.timedelta(days=k)).isoformat() for k in range((self.today - start).days + 1)
        ]

    @property
    def refund_offset(self) -> int:
        """The day offset of ``refund_start``."""
        return (self.refund_start - self.customer_start).days

    def created_day(self, i: int) -> int:
        """Days after ``customer_start`` customer ``i`` was created (grows with the number)."""
        return (i - 1) * (365 * CUSTOMER_YEARS - 1) // max(self.customers, 1)

    def newest_customer_by(self, day: int) -> int:
        """The highest customer number already created on day offset ``day``."""
        return max(1, min(self.customers, day * self.customers // (365 * CUSTOMER_YEARS - 1)))


def _mix(seed: int, i: int, salt: int) -> int:
    """A cheap, well-spread hash of (seed, i): per-customer facts without storing them."""
    x = (i * 0x9E3779B1 + seed * 0x85EBCA77 + salt * 0xC2B2AE3D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    x ^= x >> 12
    x = (x * 0x297A2D39) & 0xFFFFFFFF
    return x ^ (x >> 15)


def country_of(seed: int, i: int) -> N.Country:
    return N.COUNTRIES[bisect_right(_CUM_WEIGHTS, _mix(seed, i, 1) % _CUM_WEIGHTS[-1])]


def is_deleted(seed: int, i: int) -> bool:
    """About 0.3% of customers are deleted (restorable); they get no refunds or documents."""
    return _mix(seed, i, 2) % 1000 < 3


@cache
def times() -> list[str]:
    """``T08:30:05+00:00`` for every second of a day: a timestamp is a day string plus one."""
    return [
        f"T{h:02d}:{m:02d}:{s:02d}+00:00" for h in range(24) for m in range(60) for s in range(60)
    ]


def fill(pattern: str, rng: random.Random) -> str:
    """Replace ``#`` by a random digit and ``@`` by a random letter."""
    rnd = rng.random
    return "".join(
        _DIGITS[int(rnd() * 10)] if ch == "#" else _LETTERS[int(rnd() * 20)] if ch == "@" else ch
        for ch in pattern
    )


@cache
def _phone_format(pattern: str) -> tuple[str, int]:
    return pattern.replace("{", "{{").replace("}", "}}").replace("#", "{}"), pattern.count("#")


def phone_for(pattern: str, i: int) -> str:
    """A phone number unique per customer number (an affine map of ``i`` onto the digits)."""
    template, digits = _phone_format(pattern)
    return template.format(*f"{(i * 7919 + 104729) % 10**digits:0{digits}d}")


def ascii_slug(text: str) -> str:
    return fold(text).translate(_ASCII_MAP).replace("-", "")


def fold_text(text: str | None) -> str:
    """:func:`fold`, with its common case (ASCII) inlined."""
    if text is None:
        return ""
    return text.lower() if text.isascii() else fold(text)


@dataclass
class CustomerRows:
    """One chunk of generated rows, ready for ``executemany``."""

    customers: list[tuple] = field(default_factory=list)
    sites: list[tuple] = field(default_factory=list)
    extra_sites: list[tuple] = field(default_factory=list)  # SITE_COLUMNS without the id
    tags: list[tuple[int, str]] = field(default_factory=list)
    brands: list[tuple[int, str]] = field(default_factory=list)
    references: list[tuple[int, str]] = field(default_factory=list)
    cards: list[tuple] = field(default_factory=list)
    search: list[tuple] = field(default_factory=list)


class _Picker:
    """``rng.choice`` is slow in a tight loop; ``seq[int(random() * len(seq))]`` is not."""

    __slots__ = ("rnd",)

    def __init__(self, rng: random.Random) -> None:
        self.rnd = rng.random

    def __call__(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]


_SLUGS: dict[str, str] = {}


def _slug(word: str) -> str:
    slug = _SLUGS.get(word)
    if slug is None:
        slug = _SLUGS[word] = ascii_slug(word)
    return slug


def _name_and_email(
    rnd: Callable[[], float], choice: _Picker, country: N.Country, i: int
) -> tuple[str, str, bool]:
    """(name, e-mail, is a person)."""
    if country.script and rnd() < country.script_share:
        native, roman = choice(country.script)
        if "." in roman:
            return native, f"{roman}{i}@{choice(N.FREEMAIL)}", True
        return native, f"info@{roman}{i}.{country.tld}", False
    if rnd() < 0.45:
        first, last = choice(N.FIRST_NAMES), choice(N.LAST_NAMES)
        sep = "." if rnd() < 0.7 else "_"
        return f"{first} {last}", f"{_slug(first)}{sep}{_slug(last)}{i}@{choice(N.FREEMAIL)}", True
    suffix = choice(country.suffixes)
    r = rnd()
    if r < 0.7:
        word, noun = choice(N.COMPANY_WORDS), choice(N.COMPANY_NOUNS)
        name = f"{word} {noun} {suffix}"
    elif r < 0.85:
        word, noun = choice(N.LAST_NAMES), choice(N.COMPANY_NOUNS)
        name = f"{word} {noun} {suffix}"
    else:
        word, noun = choice(N.LAST_NAMES), choice(N.LAST_NAMES)
        name = f"{word} & {noun} {suffix}"
    return name, f"{choice(N.EMAIL_ROLES)}@{_slug(word)}{_slug(noun)}{i}.{country.tld}", False


def _address(rng: random.Random, choice: _Picker, country: N.Country) -> tuple:
    """(line1, line2, city, state, postal code)."""
    rnd = rng.random
    city, state, postal = choice(country.cities)
    street, number = choice(country.streets), 1 + int(rnd() * 240)
    line1 = f"{street} {number}" if country.street_first else f"{number} {street}"
    line2 = choice(N.LINE2) if rnd() < 0.15 else None
    return line1, line2, city, state, fill(postal, rng)


def _card(rng: random.Random, plan: Plan, customer_id: int, holder: str, created: str) -> tuple:
    month0 = plan.today.year * 12 + plan.today.month - 1  # the current month, counted from year 0
    r = rng.random()
    if r < 0.15:
        month = month0 - 1 - int(rng.random() * 36)  # expired
    elif r < 0.22:
        month = month0  # valid to the end of this month: expires within 30 days
    else:
        month = month0 + 2 + int(rng.random() * 58)
    token = "tok_" + f"{rng.getrandbits(96):024x}".translate(_TOKEN)
    last4 = f"{int(rng.random() * 10000):04d}"
    brand = N.CARD_BRANDS[int(rng.random() * len(N.CARD_BRANDS))]
    return (customer_id, brand, last4, month % 12 + 1, month // 12, holder, token, created)


_PORTAL = ("Active", "Active", "Active", "Invited", "Invited", "Inactive")
_MANDATE = ("Requested", "Active", "Active", "Cancelled", "Failed")
_PERSON_TYPES = ("Retail", "Retail", "Online")


def customer_chunk(plan: Plan, first: int, last: int) -> CustomerRows:
    """Customers ``first`` … ``last`` (inclusive). Default site ids equal customer ids; extra
    sites carry no id and are inserted after every default site, so theirs come later."""
    rng = random.Random(f"{plan.seed}:customers:{first}")
    rnd, choice, seed = rng.random, _Picker(rng), plan.seed
    out = CustomerRows()
    customers, sites, search = out.customers.append, out.sites.append, out.search.append
    days, clock, today = plan.days, times(), len(plan.days) - 1
    email: str | None
    for i in range(first, last + 1):
        country = country_of(seed, i)
        name, email, person = _name_and_email(rnd, choice, country, i)
        if rnd() < 0.12:
            email = None
        phone = None if rnd() < 0.08 else phone_for(choice(country.phones), i)
        line1, line2, city, region, postal = _address(rng, choice, country)
        born = plan.created_day(i)
        created = days[born] + clock[int(rnd() * 86400)]
        changed = born + int(rnd() * (today - born))
        updated = max(created, days[changed] + clock[int(rnd() * 86400)])
        account = f"C-{i:06d}"
        ctype = choice(_PERSON_TYPES) if person else choice(N.CUSTOMER_TYPES)
        portal = portal_email = email_status = reason = checked = None
        show_portal = 0
        if rnd() < 0.2:
            portal, portal_email, checked = choice(_PORTAL), email, updated
            if email is None:
                email_status, reason = "Missing", "no e-mail address"
            elif rnd() < 0.05:
                email_status, reason = "Invalid", "the mail server rejected the address"
            else:
                email_status = "Valid"
            show_portal = int(portal == "Active" and rnd() < 0.7)
        mandate = mandate_ref = mandate_date = None
        if rnd() < 0.03:
            mandate, mandate_ref = choice(_MANDATE), f"MD-{i:07d}"
            mandate_date = days[born + int(rnd() * (today - born))]
        lifecycle, deleted_at = ("deleted", updated) if is_deleted(seed, i) else ("active", None)
        row = (
            i, account, name, ctype, email, phone, line1, line2, city, region, postal,
            country.name,
            N.SALES_REPS[int(rnd() * len(N.SALES_REPS))] if rnd() < 0.85 else None,
            N.PAYMENT_TERMS[int(rnd() * len(N.PAYMENT_TERMS))] if rnd() < 0.9 else None,
            N.CUSTOMER_GROUPS[int(rnd() * len(N.CUSTOMER_GROUPS))] if rnd() < 0.6 else None,
            N.ORDER_TYPES[int(rnd() * len(N.ORDER_TYPES))] if rnd() < 0.7 else None,
            N.SHIPPING_TERMS[int(rnd() * len(N.SHIPPING_TERMS))] if rnd() < 0.6 else None,
            N.DEFAULT_PAYMENT_METHODS[int(rnd() * len(N.DEFAULT_PAYMENT_METHODS))] if rnd() < 0.7 else None,
            0 if rnd() < 0.04 else 1, 1 if rnd() < 0.02 else 0, show_portal,
            portal, portal_email, email_status, reason, checked,
            mandate, mandate_ref, mandate_date, lifecycle, deleted_at, created, updated,
        )  # fmt: skip
        customers(row)
        sites((i, i, "Default", line1, line2, city, region, postal, country.name, 1, created))
        addresses = [(line1, city, region, postal, country.name)]
        if rnd() < 0.04:
            for _ in range(1 + int(rnd() * 3)):
                x1, x2, xcity, xstate, xpostal = _address(rng, choice, country)
                out.extra_sites.append(
                    (i, choice(N.SITE_NAMES), x1, x2, xcity, xstate, xpostal, country.name, 0, created)
                )  # fmt: skip
                addresses.append((x1, xcity, xstate, xpostal, country.name))
        tags: list[str] = []
        brands: list[str] = []
        if rnd() < 0.3:
            tags = rng.sample(N.TAGS, 1 + int(rnd() * 3))
            out.tags.extend((i, tag) for tag in tags)
        if rnd() < 0.2:
            brands = rng.sample(N.BRANDS, 1 + int(rnd() * 2))
            out.brands.extend((i, brand) for brand in brands)
        refs: list[str] = []
        if rnd() < 0.15:
            legacy = f"LEGACY-{_mix(seed, i, 3) % 10**7:07d}"
            if rnd() < 0.4:
                po = f"PO-{days[born][:4]}-{int(rnd() * 100000):05d}"
                refs = [legacy, po]
            else:
                refs = [legacy]
            out.references.extend((i, ref) for ref in refs)
        if rnd() < 0.25:
            holder = name if person else f"{choice(N.FIRST_NAMES)} {choice(N.LAST_NAMES)}"
            out.cards.append(_card(rng, plan, i, holder, created))
            if rnd() < 0.2:
                out.cards.append(_card(rng, plan, i, holder, created))
        search(search_row(row, addresses, tags, brands, refs))
    return out


_AT = {name: index for index, name in enumerate(CUSTOMER_COLUMNS)}
_BILL_TO = tuple(_AT[c] for c in ("bill_to_line1", "bill_to_city", "bill_to_state",
                                   "bill_to_postal_code", "bill_to_country"))  # fmt: skip
_LOOKUPS = tuple(_AT[c] for c in ("sales_rep", "payment_terms", "customer_group", "order_type",
                                   "default_shipping_terms", "default_payment_method",
                                   "portal_status", "portal_email", "portal_email_status",
                                   "mandate_status"))  # fmt: skip


def _joined(values: Sequence[str | None]) -> str:
    """``group_concat(value, ' ')`` folded, as the search view writes a customer's list."""
    return fold_text(" ".join(v for v in values if v is not None))


def search_row(
    row: tuple,
    addresses: list[tuple[str, str | None, str | None, str, str]],
    tags: list[str],
    brands: list[str],
    refs: list[str],
) -> tuple:
    """The customer's row of the search view (``customer_search_source``): ``addresses``
    are its sites' (line1, city, state, postal code, country), in the order of their ids;
    tags, brands and references are listed in primary-key (binary) order."""
    at = _AT
    ship = list(zip(*addresses, strict=True))
    lookups = [fold_text(row[k]) for k in _LOOKUPS]
    return (
        row[at["id"]],
        fold_text(row[at["name"]]),
        fold_text(row[at["email"]]),
        searchable_phone(row[at["phone"]]),
        fold_text(row[at["type_name"]]),
        _joined(ship[3]),
        _joined(sorted(refs)),
        fold_text(row[at["account_number"]]),
        _joined(ship[0]),
        _joined(ship[1]),
        _joined(ship[2]),
        _joined(ship[4]),
        *(fold_text(row[k]) for k in _BILL_TO),
        *lookups[:6],
        _joined(sorted(tags)),
        _joined(sorted(brands)),
        *lookups[6:],
    )
