"""Renders accounts as rows of a member's own export layout (docs/member-formats.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from creditbridge.population.config import MemberLayout
from creditbridge.population.frame import PopulationFrame
from creditbridge.population.products import PRODUCTS

BANK_COLUMNS: tuple[str, ...] = (
    "customer_name", "id_type", "id_number", "mobile", "address", "account_no", "product", "opened",
    "closed", "credit_limit", "original_amount", "balance", "past_due", "monthly_payment",
    "last_paid_amount", "last_paid_date", "status", "first_delinquency", "as_of", "history",
    "term_months", "sex", "birth_year", "province",
)  # fmt: skip
LENDER_COLUMNS: tuple[str, ...] = (
    "borrower", "cert_no", "phone", "loan_id", "loan_kind", "start_date", "end_date", "principal_fen",
    "outstanding_fen", "overdue_fen", "instalment_fen", "state", "dofd", "report_date",
    "repayment_profile", "tenor",
)  # fmt: skip

# Indexed by delinquency state: current, 30..180+ days late, charged off, collection, paid, paid after CO.
_BANK_STATUS = ("N", "D30", "D60", "D90", "D120", "D150", "D180", "CO", "CN", "CL", "PC")
# The lender layout has no "paid after charge-off": the simulation never produces it there.
_LENDER_STATE = (
    "current", "overdue_30", "overdue_60", "overdue_90", "overdue_120", "overdue_150", "overdue_180",
    "written_off", "collection", "settled",
)  # fmt: skip
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int64)
_SERIAL_STRIDE = 7_919_337  # coprime to 10: (index * stride) mod 10^k is a bijection


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    """A member layout's file: its name, delimiter and columns."""

    file_name: str
    delimiter: str
    columns: tuple[str, ...]


LAYOUT_SPECS: dict[MemberLayout, LayoutSpec] = {
    MemberLayout.BANK: LayoutSpec("accounts.csv", ",", BANK_COLUMNS),
    MemberLayout.LENDER: LayoutSpec("loans.csv", "|", LENDER_COLUMNS),
}


def render_rows(frame: PopulationFrame, member_index: int, accounts: np.ndarray) -> list[tuple[str, ...]]:
    """Rows (in the member's column order) for `accounts`, all held at `member_index`."""
    layout = frame.config.members[member_index].layout
    render: Callable[[PopulationFrame, int, np.ndarray], list[list[str]]]
    render = _bank_columns if layout is MemberLayout.BANK else _lender_columns
    return list(zip(*render(frame, member_index, accounts), strict=True))


def _bank_columns(frame: PopulationFrame, member_index: int, accounts: np.ndarray) -> list[list[str]]:
    book, report, people = frame.book, frame.statements, frame.identities
    subject = book.subject[accounts].tolist()
    products = [PRODUCTS[p] for p in book.product[accounts].tolist()]
    revolving = [p.revolving for p in products]
    amounts = _yuan(book.amount_fen[accounts])
    birth_years = people.birth_years.tolist()
    return [
        [people.names[s] for s in subject],
        ["ID"] * len(subject),
        [people.id_numbers[s] for s in subject],
        [people.mobiles[s] for s in subject],
        [people.addresses[s] for s in subject],
        _bank_account_numbers(accounts, member_index, revolving, frame),
        [p.code for p in products],
        _iso_dates(book.opened[accounts]),
        _iso_dates(report.closed_on[accounts]),
        [a if r else "" for a, r in zip(amounts, revolving, strict=True)],
        ["" if r else a for a, r in zip(amounts, revolving, strict=True)],
        _yuan(report.balance_fen[accounts]),
        _yuan(report.past_due_fen[accounts]),
        _yuan(report.scheduled_payment_fen[accounts]),
        _yuan(report.last_paid_fen[accounts]),
        _iso_dates(report.last_paid_on[accounts]),
        [_BANK_STATUS[s] for s in report.state[accounts].tolist()],
        _iso_dates(report.first_delinquency_on[accounts]),
        _iso_dates(report.reported_on[accounts]),
        [report.history[a] for a in accounts.tolist()],
        [str(t) if t else "" for t in book.term_months[accounts].tolist()],
        ["M" if people.is_male[s] else "F" for s in subject],
        [str(birth_years[s]) for s in subject],
        [people.residence_province_codes[s] for s in subject],
    ]


def _lender_columns(frame: PopulationFrame, member_index: int, accounts: np.ndarray) -> list[list[str]]:
    book, report, people = frame.book, frame.statements, frame.identities
    subject = book.subject[accounts].tolist()
    started = _compact_dates(book.opened[accounts])
    serials = _serials(_member_positions(frame, member_index, accounts), 10**8)
    return [
        [people.names[s] for s in subject],
        [people.id_numbers[s] for s in subject],
        [people.mobiles[s] for s in subject],
        [f"L{day}{serial:08d}" for day, serial in zip(started, serials.tolist(), strict=True)],
        [PRODUCTS[p].code for p in book.product[accounts].tolist()],
        started,
        _compact_dates(report.closed_on[accounts]),
        [str(v) for v in book.amount_fen[accounts].tolist()],
        [str(v) for v in report.balance_fen[accounts].tolist()],
        [str(v) for v in report.past_due_fen[accounts].tolist()],
        [str(v) for v in report.scheduled_payment_fen[accounts].tolist()],
        [_LENDER_STATE[s] for s in report.state[accounts].tolist()],
        _compact_dates(report.first_delinquency_on[accounts]),
        _compact_dates(report.reported_on[accounts]),
        [report.history[a] for a in accounts.tolist()],
        [str(t) if t else "" for t in book.term_months[accounts].tolist()],
    ]


def _yuan(fen: np.ndarray) -> list[str]:
    return [f"{v // 100}.{v % 100:02d}" for v in fen.tolist()]


def _iso_dates(days: np.ndarray) -> list[str]:
    return ["" if text == "NaT" else text for text in np.datetime_as_string(days, unit="D").tolist()]


def _compact_dates(days: np.ndarray) -> list[str]:
    return [text.replace("-", "") for text in _iso_dates(days)]


def _member_positions(frame: PopulationFrame, member_index: int, accounts: np.ndarray) -> np.ndarray:
    """Each account's position among all the member's accounts: unique within the member."""
    return np.searchsorted(frame.member_accounts(member_index), accounts)


def _serials(positions: np.ndarray, modulus: int) -> np.ndarray:
    """Unique, unordered-looking serial numbers: positions scrambled by a bijection mod `modulus`."""
    return (positions.astype(np.int64) * _SERIAL_STRIDE + 12_345) % modulus


def _bank_account_numbers(
    accounts: np.ndarray, member_index: int, revolving: list[bool], frame: PopulationFrame
) -> list[str]:
    """UnionPay-style numbers: 16-digit cards and lines, 19-digit loan accounts, Luhn check digit."""
    positions = _member_positions(frame, member_index, accounts)
    bin_code = 621_000 + 37 * member_index % 1000  # a made-up issuer number per member
    is_card = np.asarray(revolving, dtype=bool)
    short = bin_code * 10**9 + _serials(positions, 10**9)  # 15 digits + check = 16
    long = bin_code * 10**12 + _serials(positions, 10**12)  # 18 digits + check = 19
    cards = _with_luhn(short[is_card], 15)
    loans = _with_luhn(long[~is_card], 18)
    numbers = np.empty(len(accounts), dtype=object)
    numbers[is_card] = cards
    numbers[~is_card] = loans
    return [str(number) for number in numbers.tolist()]


def _with_luhn(payloads: np.ndarray, digits: int) -> list[str]:
    """Each payload of `digits` digits followed by its Luhn (ISO/IEC 7812) check digit."""
    places = (payloads[:, None] // 10 ** np.arange(digits - 1, -1, -1, dtype=np.int64)) % 10
    doubled = np.arange(digits - 1, -1, -1) % 2 == 0  # every other digit from the right, rightmost first
    total = np.where(doubled, _LUHN_DOUBLED[places], places).sum(axis=1)
    checks = (10 - total % 10) % 10
    return [f"{p:0{digits}d}{c}" for p, c in zip(payloads.tolist(), checks.tolist(), strict=True)]
