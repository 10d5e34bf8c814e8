"""Numbers as the report, the summary sentences and ``results.xlsx`` show them.

One function per kind of value, so that a number in a sentence and the same number in a table
are the same text. Money is shown in £m or £k with sensible rounding; shares as percentages and
their differences in percentage points; a difference carries its sign (``+`` or ``−``).
"""

from __future__ import annotations

import math

DASH = "–"
MINUS = "−"
#: Units of the answer's outcomes (see :mod:`sim.analysis.answer`).
SHARE, QUALITY, MONTHS, MONEY = "share", "0-1", "months", "GBP"


def _sign(value: float, signed: bool) -> str:
    if value < 0:
        return MINUS
    return "+" if signed and value > 0 else ""


def money(value: float, signed: bool = False) -> str:
    """£ in millions (``£1.23m``, ``£12.3m``, ``£123m``), thousands (``£850k``) or pounds."""
    if value is None or math.isnan(value):
        return DASH
    size = abs(value)
    sign = _sign(value, signed)
    if size >= 1e8:
        return f"{sign}£{size / 1e6:,.0f}m"
    if size >= 1e7:
        return f"{sign}£{size / 1e6:.1f}m"
    if size >= 1e6:
        return f"{sign}£{size / 1e6:.2f}m"
    if size >= 1e3:
        return f"{sign}£{size / 1e3:.0f}k"
    return f"{sign}£{size:.0f}"


def share(value: float, signed: bool = False) -> str:
    """A share (0-1) as a percentage; a difference of shares in percentage points."""
    if value is None or math.isnan(value):
        return DASH
    points = abs(value) * 100
    digits = 0 if points >= 10 or points == 0 else 1
    text = f"{_sign(value, signed)}{points:.{digits}f}"
    return f"{text} points" if signed else f"{text}%"


def plain(value: float, digits: int, signed: bool = False) -> str:
    """A number with a fixed count of decimals (and its sign when ``signed``)."""
    if value is None or math.isnan(value):
        return DASH
    return f"{_sign(value, signed)}{abs(value):,.{digits}f}"


def outcome_value(unit: str, value: float, signed: bool = False) -> str:
    """A value of an outcome in ``unit`` (``share``, ``0-1``, ``months``, ``GBP``)."""
    if unit == MONEY:
        return money(value, signed)
    if unit == SHARE:
        return share(value, signed)
    if unit == QUALITY:
        return plain(value, 3, signed)
    return plain(value, 1, signed)


def outcome_interval(unit: str, low: float, high: float, signed: bool = False) -> str:
    """``low to high`` in the outcome's format, or a dash when undefined."""
    if any(v is None or math.isnan(v) for v in (low, high)):
        return DASH
    if unit == SHARE and not signed:
        return f"{share(low)} to {share(high)}"
    if unit == SHARE:
        return f"{share(low, True).removesuffix(' points')} to {share(high, True)}"
    return f"{outcome_value(unit, low, signed)} to {outcome_value(unit, high, signed)}"
