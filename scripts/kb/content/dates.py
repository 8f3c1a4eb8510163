"""The content's dates written as people in the UK read them: 25 November 2026, April 2019."""

from __future__ import annotations

import datetime as dt

#: Month names, January first; the one list every date in the site and the tools is written with.
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
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return full_date(value)


def period_text(period: dict[str, str]) -> str:
    """'April 2019 to 2022', 'Since December 1997' with no end, 'Until 2014' if start unknown."""
    end = period.get("end")
    if period["start"] == "unknown":
        return f"Until {partial_date(end)}" if end else "Not known: the sources do not say"
    start = partial_date(period["start"])
    if not end:
        return f"Since {start}"
    if end == period["start"]:
        return start
    return f"{start} to {partial_date(end)}"
