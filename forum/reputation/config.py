"""Reputation defaults, overridable in the app configuration.

Scalar settings (daily caps, limits, the privilege profile) live in
``forum/config.py``; the tables here are the defaults that its
``REPUTATION_AMOUNTS`` and ``PRIVILEGE_THRESHOLDS`` override key by key.
"""

from flask import current_app

from forum.reputation import models as m

# What each event is worth by default, by ledger reason.
AMOUNTS = {
    m.QUESTION_UPVOTED: 10,
    m.ANSWER_UPVOTED: 10,
    m.DOWNVOTED: -2,
    m.DOWNVOTE_CAST: -1,
    m.ANSWER_ACCEPTED: 15,
    m.ACCEPTED_ANSWER: 2,
    m.EDIT_APPROVED: 2,
    m.SPAM_DELETED: -100,
}

# The settings this domain reads, with the defaults forum/config.py also sets.
DEFAULTS = {
    "VOTES_PER_DAY": 40,
    "COMMENT_VOTES_PER_DAY": 30,
    "VOTE_LOCK_MINUTES": 5,
    "REPUTATION_DAILY_CAP": 200,
    "REPUTATION_FLOOR": 1,
    "REPUTATION_AMOUNTS": {},
    "PRIVILEGE_PROFILE": "small",
    "PRIVILEGE_THRESHOLDS": {},
    "PRIVILEGE_ACTIVE_DAYS": 90,
    "PRIVILEGE_ACTIVE_CACHE_SECONDS": 3600,
    "SERIAL_VOTES_MIN": 10,
    "SERIAL_VOTES_HOURS": 24,
}


def setting(name: str):
    """Return a reputation setting of the current app, or its default."""
    return current_app.config.get(name, DEFAULTS[name])


def amount(reason: str) -> int:
    """Return what an event with this reason is worth in the current app."""
    overrides = setting("REPUTATION_AMOUNTS") or {}
    return int(overrides.get(reason, AMOUNTS[reason]))
