"""The content's dates written as people in the UK read them: 25 November 2026, April 2019."""

from __future__ import annotations

import datetime as dt

#: Month names, January first; the one list every date in the site and the tools is written with.
#: Written out, not taken from `calendar`, whose names follow the locale if anything sets one.
MONTHS = (
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


def format_date(day: dt.date) -> str:
    """A date as people in the UK write it: 25 November 2026 (no leading zero)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def full_date(value: str) -> str:
    """'2026-11-25' -> '25 November 2026'."""
    return format_date(dt.date.fromisoformat(value))


def partial_date(value: str) -> str:
    """'2019' -> '2019'; '2019-04' -> 'April 2019'; a full date as full_date."""
    parts = value.split("-")
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value if len(parts) == 1 else full_date(value)


def period_text(period: dict[str, str]) -> str:
    """When the work happened, in words: '1997 to 2023', '2010, end not known',
    'Since 2018, confirmed ongoing in January 2026', 'Until 2014' when the start is unknown."""
    start, end = period.get("start", "unknown"), period.get("end", "unknown")
    if end == "ongoing":
        confirmed = period.get("confirmed")
        still = f"confirmed ongoing in {partial_date(confirmed)}" if confirmed else "ongoing"
        return f"Since {partial_date(start)}, {still}" if start != "unknown" else still.capitalize()
    if start == end == "unknown":
        return "Not known: the sources do not say"
    if start == "unknown":
        return f"Until {partial_date(end)}"
    if end == "unknown":
        return f"{partial_date(start)}, end not known"
    if end == start:
        return partial_date(start)
    return f"{partial_date(start)} to {partial_date(end)}"
