"""Numbers the British way, rounded half up as the DfE does. Pure."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext


def round_half_up(value: float, dps: int = 0) -> float:
    """Round half away from zero: 10.25 -> 10.3 (Python's round() gives 10.2).

    Goes through the shortest decimal repr of the float, so 25.45 (stored as 25.4499...) still rounds to 25.5,
    as it does in the DfE's published tables.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    if not math.isfinite(float(value)):
        return float(value)  # infinity has nothing to round; quantize would raise
    quantum = Decimal(1).scaleb(-dps)
    # Enough digits for any float (up to 1.8e308) at any dps: a huge published value must never raise here.
    with localcontext(prec=400):
        return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float, dps: int = 0) -> str:
    """'1,234' or '12.3'."""
    rounded = round_half_up(value, dps)
    return f"{rounded:,.{dps}f}"


def format_value(value: float | None, unit: str, dps: int = 0, symbol: str | None = None) -> str:
    """A figure as a councillor reads it: '12.3%', '65 per 10,000', '352', or the GSS symbol."""
    if symbol:
        return symbol
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "x"
    text = format_number(value, dps)
    if unit == "%":
        return f"{text}%"
    if unit == "per 10,000":
        return f"{text} per 10,000"
    return text


def format_change(delta: float, unit: str, dps: int = 0) -> str:
    """'+1.2 points', '-3', '+5 per 10,000'; 'no change' for zero after rounding."""
    rounded = round_half_up(delta, dps)
    if rounded == 0:
        return "no change"
    sign = "+" if rounded > 0 else "-"
    text = f"{sign}{abs(rounded):,.{dps}f}"
    if unit == "%":
        return f"{text} points"
    if unit == "per 10,000":
        return f"{text} per 10,000"
    return text
