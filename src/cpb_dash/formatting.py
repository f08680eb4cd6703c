"""Numbers the British way, rounded half up as the DfE does. Pure.

round_half_up is the package's one rounding rule: everything shown, compared or generated rounds through it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from numbers import Integral


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float | int | Decimal | Fraction, dps: int = 0) -> float:
    """Round half away from zero: 10.25 -> 10.3 (Python's round() gives 10.2).

    Exact for every kind of number. A Decimal or a Fraction is rounded as it is. A float stands for the decimal it
    was written as, its shortest repr: 1.005 (stored as 1.00499999999999989...) rounds to 1.01 and 25.45 to 25.5,
    as in the DfE's tables. For a ratio of counts, indicators.derive stores the float nearest the exact fraction;
    its shortest repr rounds as the fraction does, because a fraction a / b (b below 10^9) that is not a tie lies
    further than 1 / (2 b 10^dps) from every tie, far more than the float's error (about 10^-16 of the value),
    and a tie has at most a few digits, so it is its nearest float's shortest repr.
    """
    if _is_missing(value):
        return float("nan")
    if isinstance(value, Fraction):
        scaled = value * 10**dps
        whole = math.floor(abs(scaled) + Fraction(1, 2))
        return float(Decimal(whole if scaled >= 0 else -whole).scaleb(-dps))
    if isinstance(value, Integral):
        number = Decimal(int(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        return float(number)  # infinity has nothing to round; quantize would raise
    # Enough digits for any float (up to 1.8e308) at any dps: a huge published value must never raise here.
    with localcontext(prec=400):
        return float(number.quantize(Decimal(1).scaleb(-dps), rounding=ROUND_HALF_UP))


def format_number(value: float, dps: int = 0) -> str:
    """'1,234' or '12.3'."""
    rounded = round_half_up(value, dps)
    return f"{rounded:,.{dps}f}"


def format_value(value: float | None, unit: str, dps: int = 0, symbol: str | None = None) -> str:
    """A figure as a councillor reads it: '12.3%', '65 per 10,000', '352', or the GSS symbol.

    A figure that is not zero but rounds to zero shows as the GSS symbol `low` (as the DfE shows a sickness
    absence rate of 0.02%), never as 0.
    """
    if symbol:
        return symbol
    if _is_missing(value):
        return "x"
    if value != 0 and round_half_up(value, dps) == 0:
        return "low"
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
        return f"{text} point" if text[1:] == "1" else f"{text} points"  # "+1 point", "+1.0 points", "+2 points"
    if unit == "per 10,000":
        return f"{text} per 10,000"
    return text
