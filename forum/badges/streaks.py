"""Streak arithmetic over sets of UTC days; pure functions, no database.

A streak is a run of consecutive days. The current streak counts back from today,
or from yesterday when today has no entry yet: a member who visited every day up
to yesterday still has their streak this morning, and loses it only once a whole
day passes without one.
"""

from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def current_streak(days: Iterable[date], today: date) -> int:
    """Return the run of consecutive days that ends today or yesterday."""
    days = set(days)
    day = today if today in days else today - ONE_DAY
    streak = 0
    while day in days:
        streak += 1
        day -= ONE_DAY
    return streak


def longest_streak(days: Iterable[date]) -> int:
    """Return the longest run of consecutive days."""
    days = set(days)
    longest = 0
    for day in days:
        if day - ONE_DAY in days:
            continue  # not the first day of a run
        end = day
        while end + ONE_DAY in days:
            end += ONE_DAY
        longest = max(longest, (end - day).days + 1)
    return longest


def streak_after(previous_day: date | None, previous_streak: int, day: date) -> int:
    """Return the streak that day ends, given the last recorded day before it."""
    if previous_day is not None and day - previous_day == ONE_DAY:
        return previous_streak + 1
    return 1
