"""Financial-year quarters: parsing, labels, and alignment of annual published dates to quarters. Pure."""

from __future__ import annotations

import datetime as dt

QUARTER_END_MONTH_DAY = {(6, 30): 1, (9, 30): 2, (12, 31): 3, (3, 31): 4}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def as_date(value: object) -> dt.date:
    """A date from a date, datetime, pandas Timestamp or ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def is_quarter_end(day: dt.date) -> bool:
    return (day.month, day.day) in QUARTER_END_MONTH_DAY


def quarter_number(day: dt.date) -> int:
    """1-4 within the financial year (Q1 = Apr-Jun)."""
    return QUARTER_END_MONTH_DAY[(day.month, day.day)]


def financial_year(day: dt.date) -> str:
    """'2025-26' for any date from 1 April 2025 to 31 March 2026."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def quarter_end(year: int, month: int) -> dt.date:
    """The quarter end of a (year, month) that is itself a quarter-end month."""
    last_day = {3: 31, 6: 30, 9: 30, 12: 31}[month]
    return dt.date(year, month, last_day)


def shift_quarters(day: dt.date, quarters: int) -> dt.date:
    """The quarter end `quarters` quarters after (or before, if negative) the quarter end `day`."""
    index = day.year * 12 + (day.month - 1) + 3 * quarters
    return quarter_end(index // 12, index % 12 + 1)


def previous_quarter(day: dt.date) -> dt.date:
    return shift_quarters(day, -1)


def same_quarter_last_year(day: dt.date) -> dt.date:
    return shift_quarters(day, -4)


def quarter_ends_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        day = shift_quarters(day, 1)
    return out


def latest_complete_quarter_end(today: dt.date) -> dt.date:
    """The last quarter end on or before today."""
    candidates = [quarter_end(today.year, m) for m in (3, 6, 9, 12)] + [quarter_end(today.year - 1, 12)]
    return max(d for d in candidates if d <= today)


def quarter_label(day: dt.date) -> str:
    """'2025-26 Q2 (Jul-Sep 2025)'."""
    q = quarter_number(day)
    first_month = MONTHS[(day.month - 3) % 12]
    return f"{financial_year(day)} Q{q} ({first_month}-{MONTHS[day.month - 1]} {day.year})"


def short_quarter_label(day: dt.date) -> str:
    """'2025-26 Q2'."""
    return f"{financial_year(day)} Q{quarter_number(day)}"


def long_date(day: dt.date) -> str:
    """'30 September 2025' (British, no leading zero)."""
    return f"{day.day} {MONTHS_LONG[day.month - 1]} {day.year}"


def stock_label(day: dt.date) -> str:
    """'at 30 September 2025', for figures that are a count on a date."""
    return f"at {long_date(day)}"


def reference_label(day: dt.date, reference: str) -> str:
    """How a figure relates to its quarter, in words: 'at 30 September 2025' for a stock,
    'in 2025-26 Q2 (Jul-Sep 2025)' for a count in the quarter, 'in the 12 months to 30 September 2025'."""
    if reference == "in the quarter":
        return f"in {quarter_label(day)}"
    if reference == "in the 12 months to period end":
        return f"in the 12 months to {long_date(day)}"
    if reference == "in the 3 years to period end":
        return f"in the 3 years to {long_date(day)}"
    if reference == "at 31 March (annual)":
        return f"at {long_date(latest_march(day))} (annual)"
    return stock_label(day)


def latest_march(day: dt.date) -> dt.date:
    """The latest 31 March on or before `day`: the reference date an annual (OC2) figure shown for `day` has."""
    return dt.date(day.year if day >= dt.date(day.year, 3, 31) else day.year - 1, 3, 31)


def parse_period(text: str) -> dt.date:
    """A quarter end from '2025-09-30' or '2025-26 Q2'; ValueError with a plain message otherwise."""
    text = text.strip()
    if "Q" in text.upper() and "-" in text:
        fy, _, q = text.upper().partition("Q")
        start = int(fy.strip()[:4])
        month = {1: 6, 2: 9, 3: 12, 4: 3}[int(q)]
        return quarter_end(start + 1 if month == 3 else start, month)
    day = dt.date.fromisoformat(text)
    if not is_quarter_end(day):
        raise ValueError(f"{text} is not a quarter end (30 June, 30 September, 31 December or 31 March)")
    return day


# Published benchmarks are annual. CLA figures are at 31 March (year = that March); the workforce census is at
# 30 September. Each aligns to the quarter that ends on the same date.
def benchmark_date(year: int, reference_date: str) -> dt.date:
    if reference_date.startswith("30 September"):
        return dt.date(year, 9, 30)
    return dt.date(year, 3, 31)


def benchmark_year_for(day: dt.date, reference_date: str) -> int | None:
    """The published year whose reference date is this quarter end, or None if none falls on it."""
    if reference_date.startswith("30 September"):
        return day.year if (day.month, day.day) == (9, 30) else None
    return day.year if (day.month, day.day) == (3, 31) else None


def latest_benchmark_year_on_or_before(day: dt.date, reference_date: str) -> int:
    """The most recent published year whose reference date is on or before this quarter end."""
    if reference_date.startswith("30 September"):
        return day.year if day >= dt.date(day.year, 9, 30) else day.year - 1
    return day.year if day >= dt.date(day.year, 3, 31) else day.year - 1
