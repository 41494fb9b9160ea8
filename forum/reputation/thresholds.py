"""Privileges: what each one allows and how much reputation it needs.

Three profiles choose the thresholds (``PRIVILEGE_PROFILE``):

- ``small``: set for a community of hundreds to thousands of employees;
- ``large``: Stack Overflow's own thresholds;
- ``auto``: scales with the members active in the last 90 days. With ``a`` active
  members, ``t = clamp(log(a / 100) / log(20000 / 100), 0, 1)``, and each threshold
  is ``small ** (1 - t) * large ** t`` (a straight line between the two in log
  scale), rounded to a nice number and kept within ``[small, large]``. So up to
  100 active members get ``small``, 20,000 or more get ``large``, and 2,000 get
  about the middle in log scale (vote down 110, close votes 2,200, trusted 15,000).

``PRIVILEGE_THRESHOLDS`` then overrides single privileges whatever the profile.
Moderators and admins hold every privilege.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db, utcnow
from forum.reputation.config import setting

PROFILES = ("small", "large", "auto")
AUTO_SMALL_AT = 100
AUTO_LARGE_AT = 20_000


@dataclass(frozen=True)
class Privilege:
    """A power earned with reputation."""

    name: str
    label: str
    allows: str
    threshold: int


# name: (label, what it allows, small threshold, large threshold), lowest first.
CATALOGUE = {
    "create_posts": ("Create posts", "Ask and answer questions.", 1, 1),
    "vote_up": (
        "Vote up",
        "Mark questions and answers that are useful.",
        15,
        15,
    ),
    "flag_posts": (
        "Flag posts",
        "Bring posts that need attention to the moderators.",
        15,
        15,
    ),
    "comment_everywhere": (
        "Comment everywhere",
        "Comment on any question or answer, not only your own.",
        50,
        50,
    ),
    "vote_down": (
        "Vote down",
        "Mark questions and answers that are not useful.",
        100,
        125,
    ),
    "create_tags": ("Create tags", "Add new tags to the site.", 300, 1500),
    "access_review_queues": (
        "Access review queues",
        "Review first posts, late answers and suggested edits.",
        350,
        500,
    ),
    "edit_any_post": (
        "Edit any post",
        "Edit any question or answer without waiting for review.",
        1000,
        2000,
    ),
    "cast_close_votes": (
        "Cast close and reopen votes",
        "Vote to close questions that do not fit, and to reopen them.",
        1500,
        3000,
    ),
    "edit_tag_wikis": (
        "Edit tag wikis",
        "Edit the excerpts and wikis of tags.",
        2000,
        5000,
    ),
    "see_deleted": (
        "See deleted posts",
        "See deleted posts and flag summaries (the moderator tools).",
        5000,
        10000,
    ),
    "protect_questions": (
        "Protect questions",
        "Stop brand-new members from answering a question.",
        7500,
        15000,
    ),
    "trusted_user": (
        "Trusted user",
        "Delete and undelete with fewer checks; the community's most trusted.",
        10000,
        20000,
    ),
}

SMALL = {name: row[2] for name, row in CATALOGUE.items()}
LARGE = {name: row[3] for name, row in CATALOGUE.items()}


def _nice(value: float) -> int:
    """Round to a number people can remember, keeping the order of values."""
    # Every step divides the next boundary, so rounding never reverses an order.
    step = next(
        (
            s
            for limit, s in ((20, 1), (100, 5), (1000, 10), (10000, 100))
            if value < limit
        ),
        1000,
    )
    return int(math.floor(value / step + 0.5) * step)


def auto_threshold(small: int, large: int, active_members: int) -> int:
    """Return the threshold between small and large for this many active members."""
    if active_members <= AUTO_SMALL_AT:
        return small
    if active_members >= AUTO_LARGE_AT:
        return large
    t = math.log(active_members / AUTO_SMALL_AT) / math.log(
        AUTO_LARGE_AT / AUTO_SMALL_AT
    )
    raw = small ** (1 - t) * large**t
    return min(large, max(small, _nice(raw)))


def thresholds_for(
    profile: str, active_members: int = 0, overrides: dict | None = None
) -> dict[str, int]:
    """Return every privilege's threshold under a profile, with overrides applied."""
    if profile == "small":
        table = dict(SMALL)
    elif profile == "large":
        table = dict(LARGE)
    elif profile == "auto":
        table = {
            name: auto_threshold(SMALL[name], LARGE[name], active_members)
            for name in CATALOGUE
        }
    else:
        raise ValueError(
            f"PRIVILEGE_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}."
        )
    for name, value in (overrides or {}).items():
        if name not in CATALOGUE:
            raise ValueError(f"PRIVILEGE_THRESHOLDS names no privilege {name!r}.")
        table[name] = int(value)
    return table


def active_members(now=None) -> int:
    """Count the members seen in the last PRIVILEGE_ACTIVE_DAYS days."""
    since = (now or utcnow()) - timedelta(days=setting("PRIVILEGE_ACTIVE_DAYS"))
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.last_seen_at >= since)
    )


def _cached_active_members() -> int:
    """Return the active member count, counted at most once an hour per app."""
    cache = current_app.extensions.setdefault("knowhow_active_members", {})
    if cache.get("until", 0) < time.monotonic():
        cache["value"] = active_members()
        cache["until"] = time.monotonic() + setting("PRIVILEGE_ACTIVE_CACHE_SECONDS")
    return cache["value"]


def current_thresholds() -> dict[str, int]:
    """Return every privilege's threshold in the current app."""
    profile = setting("PRIVILEGE_PROFILE")
    active = _cached_active_members() if profile == "auto" else 0
    return thresholds_for(profile, active, setting("PRIVILEGE_THRESHOLDS"))


def threshold(privilege: str) -> int:
    """Return the reputation a privilege needs in the current app."""
    if privilege not in CATALOGUE:
        raise ValueError(f"unknown privilege {privilege!r}")
    return current_thresholds()[privilege]


def privileges_table() -> list[Privilege]:
    """Return every privilege with what it allows and its threshold, lowest first."""
    table = current_thresholds()
    rows = [
        Privilege(name, label, allows, table[name])
        for name, (label, allows, _, _) in CATALOGUE.items()
    ]
    return sorted(rows, key=lambda row: row.threshold)


def holds(user: User | None, privilege: str) -> bool:
    """Tell whether the user holds a reputation privilege (staff hold them all)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_moderator:
        return True
    return user.reputation >= threshold(privilege)


def missing_privilege_message(user: User | None, privilege: str) -> str:
    """Explain which privilege an action needs and how far the user is from it."""
    label = CATALOGUE[privilege][0]
    needed = threshold(privilege)
    if user is None or not getattr(user, "is_authenticated", False):
        return (
            f"Log in to do that. It needs the “{label}” privilege, "
            f"which comes with {needed:,} reputation."
        )
    return (
        f"That needs the “{label}” privilege, which comes with {needed:,} "
        f"reputation; you have {user.reputation:,} "
        f"({needed - user.reputation:,} to go)."
    )
