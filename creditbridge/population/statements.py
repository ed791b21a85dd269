"""The reported state of each account: status, dates, money and its 24-month payment history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.population.accounts import AccountBook
from creditbridge.population.config import PopulationConfig
from creditbridge.population.delinquency import (
    CHARGED_OFF,
    CURRENT,
    IN_COLLECTION,
    LATE_180,
    NEVER,
    PAID_AFTER_CHARGE_OFF,
    PAID_CLOSED,
    AccountLives,
)
from creditbridge.population.products import product_column

# Metro 2 payment-history character of each state; a paid-off charge-off keeps its "L".
_STATE_CHARS = np.frombuffer(b"0123456LGELB", dtype=np.uint8)
_NAT = np.datetime64("NaT", "D")
_MIN_PAYMENT_SHARE = 0.1  # revolving minimum payment: 10 % of the balance, at least 100 yuan
_MIN_PAYMENT_FLOOR_FEN = 10_000
_HISTORY_CHUNK = 200_000  # accounts rendered at once


@dataclass(frozen=True, slots=True, eq=False)
class AccountStatements:
    """Column arrays, one entry per account, as the furnisher reports it."""

    state: np.ndarray  # state in the reporting month (delinquency.CURRENT ... PAID_AFTER_CHARGE_OFF)
    reported_on: np.ndarray  # datetime64[D]: as_of, or the closing day of a closed account
    closed_on: np.ndarray  # datetime64[D], NaT while open
    first_delinquency_on: np.ndarray  # datetime64[D], NaT when never late
    last_paid_on: np.ndarray  # datetime64[D], NaT before the first payment
    balance_fen: np.ndarray
    past_due_fen: np.ndarray
    scheduled_payment_fen: np.ndarray
    last_paid_fen: np.ndarray
    history: list[str]  # most recent month first


def draw_statements(
    rng: np.random.Generator,
    config: PopulationConfig,
    book: AccountBook,
    lives: AccountLives,
    latent_pd: np.ndarray,
) -> AccountStatements:
    """Turns simulated lives into what the member reports on `config.as_of`."""
    as_of = np.datetime64(config.as_of, "D")
    report_month = np.minimum(lives.closed_month, lives.window_start_month + config.history_months - 1)
    column = report_month - lives.window_start_month
    rows = np.arange(len(book))
    state = np.where(column >= 0, lives.states[rows, np.maximum(column, 0)], PAID_CLOSED).astype(np.int64)
    closed = lives.closed_month != NEVER
    closed_on = _closing_days(rng, lives.closed_month, closed, as_of)
    reported_on = np.where(closed, closed_on, as_of)
    money = _money(rng, book, state, report_month - lives.open_month, latent_pd[book.subject])
    balance, past_due, scheduled, last_paid = money
    zero_balance_current = (state == CURRENT) & (balance == 0)
    return AccountStatements(
        state=state,
        reported_on=reported_on,
        closed_on=closed_on,
        first_delinquency_on=_first_delinquency(lives, book.due_day, reported_on),
        last_paid_on=_last_paid_on(lives, book.due_day, state, report_month, reported_on),
        balance_fen=balance,
        past_due_fen=past_due,
        scheduled_payment_fen=scheduled,
        last_paid_fen=last_paid,
        history=_histories(lives, report_month, config.history_months, zero_balance_current),
    )


def _month_start(month: np.ndarray) -> np.ndarray:
    return np.maximum(month, 0).astype("datetime64[M]").astype("datetime64[D]")


def _closing_days(
    rng: np.random.Generator, closed_month: np.ndarray, closed: np.ndarray, as_of: np.datetime64
) -> np.ndarray:
    """A day within the closing month, never after as_of (the month always follows the opening one)."""
    first = _month_start(np.where(closed, closed_month, 0))
    days_in_month = (_month_start(np.where(closed, closed_month + 1, 1)) - first).astype(np.int64)
    day = first + np.floor(rng.random(len(first)) * days_in_month).astype(np.int64)
    return np.where(closed, np.minimum(day, as_of), _NAT)


def _due_date(month: np.ndarray, due_day: np.ndarray, not_after: np.ndarray) -> np.ndarray:
    return np.minimum(_month_start(month) + (due_day - 1), not_after)


def _first_delinquency(lives: AccountLives, due_day: np.ndarray, reported_on: np.ndarray) -> np.ndarray:
    """The due date in the first month reported late (or worse); NaT when the account never was."""
    late = (lives.states >= 1) & (lives.states <= IN_COLLECTION)
    ever_late = late.any(axis=1)
    first_month = lives.window_start_month + np.argmax(late, axis=1)
    return np.where(ever_late, _due_date(first_month, due_day, reported_on), _NAT)


def _last_paid_on(
    lives: AccountLives,
    due_day: np.ndarray,
    state: np.ndarray,
    report_month: np.ndarray,
    reported_on: np.ndarray,
) -> np.ndarray:
    """Closed accounts: the closing day. Open ones: the due date of the last month reported current."""
    months = lives.window_start_month + np.arange(lives.states.shape[1])
    after_opening = months > lives.open_month[:, None]
    paid = (lives.states == CURRENT) & after_opening & (months <= report_month[:, None])
    last_column = paid.shape[1] - 1 - np.argmax(paid[:, ::-1], axis=1)
    before_window = lives.window_start_month - 1  # the window's accounts were clean before it
    fallback = np.where(before_window > lives.open_month, before_window, -1)
    last_month = np.where(paid.any(axis=1), lives.window_start_month + last_column, fallback)
    last_paid = np.where(last_month >= 0, _due_date(last_month, due_day, reported_on), _NAT)
    return np.where(state >= PAID_CLOSED, reported_on, last_paid)


def _money(
    rng: np.random.Generator,
    book: AccountBook,
    state: np.ndarray,
    months_on_book: np.ndarray,
    latent_pd: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Balance, past due, scheduled payment and last payment in fen, consistent with the state."""
    count = len(book)
    revolving = book.term_months == 0
    bucket = np.where((state >= 1) & (state <= LATE_180), state, 0)
    derogatory = (state == CHARGED_OFF) | (state == IN_COLLECTION)
    instalment, remaining = _amortised(book, np.where(derogatory, LATE_180, bucket), months_on_book)
    utilisation = rng.beta(2.0, 5.0 - 3.0 * latent_pd, size=count)
    unused = (state == CURRENT) & (rng.random(count) < 0.15 * (1.0 - latent_pd))
    behind = (bucket > 0) | derogatory
    drawn = np.where(behind, np.maximum(utilisation, 0.3), np.where(unused, 0.0, utilisation))
    card_balance = np.round(drawn * book.amount_fen).astype(np.int64)
    minimum = np.minimum(
        card_balance, np.maximum(np.round(card_balance * _MIN_PAYMENT_SHARE), _MIN_PAYMENT_FLOOR_FEN)
    ).astype(np.int64)
    balance = np.maximum(np.where(revolving, card_balance, remaining), 100)
    scheduled = np.where(revolving, minimum, instalment)
    past_due = np.where(derogatory, balance, np.minimum(bucket * np.maximum(scheduled, 100), balance))
    open_paying = state <= LATE_180
    usual_payment = np.where(revolving, np.maximum(minimum, _MIN_PAYMENT_FLOOR_FEN), instalment)
    settlement = np.round(balance * rng.uniform(0.4, 1.0, size=count)).astype(np.int64)
    last_paid = np.where(state == PAID_AFTER_CHARGE_OFF, settlement, usual_payment)
    balance = np.where(revolving & unused, 0, balance)
    closed = state >= PAID_CLOSED
    return (
        np.where(closed, 0, balance),
        np.where(closed, 0, past_due),
        np.where(open_paying, scheduled, 0),
        last_paid,
    )


def _amortised(
    book: AccountBook, missed_months: np.ndarray, months_on_book: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Level instalment and the principal still owed after the instalments actually paid."""
    term = np.maximum(book.term_months, 1)
    rate = product_column("annual_rate")[book.product] / 12.0
    growth = (1.0 + rate) ** term
    instalment = book.amount_fen * rate * growth / (growth - 1.0)
    paid = np.clip(months_on_book - missed_months, 0, term - 1)
    grown = (1.0 + rate) ** paid
    remaining = book.amount_fen * grown - instalment * (grown - 1.0) / rate
    return np.round(instalment).astype(np.int64), np.maximum(np.round(remaining), 100).astype(np.int64)


def _histories(
    lives: AccountLives, report_month: np.ndarray, length: int, zero_balance_current: np.ndarray
) -> list[str]:
    """Most recent month first, rendered in chunks to bound the (accounts x months) temporaries."""
    histories: list[str] = []
    for start in range(0, len(report_month), _HISTORY_CHUNK):
        chunk = slice(start, start + _HISTORY_CHUNK)
        chars = _history_chars(lives, chunk, report_month[chunk], length)
        chars[zero_balance_current[chunk], 0] = ord("E")
        text = chars.tobytes().decode("ascii")
        histories.extend(text[i : i + length] for i in range(0, len(text), length))
    return histories


def _history_chars(lives: AccountLives, chunk: slice, report_month: np.ndarray, length: int) -> np.ndarray:
    """B before opening, clean (0, E in a closing month) before the window, then the lived states."""
    month = (report_month[:, None] - np.arange(length)).astype(np.int32)
    column = month - lives.window_start_month
    states = lives.states[chunk]
    chars = _STATE_CHARS[np.take_along_axis(states, np.maximum(column, 0), axis=1)]
    before_window = np.where(month == lives.closed_month[chunk, None], ord("E"), ord("0"))
    chars = np.where(column >= 0, chars, before_window)
    chars = np.where(month < lives.open_month[chunk, None], ord("B"), chars)
    return np.ascontiguousarray(chars, dtype=np.uint8)
