"""Fixtures for badges: a world to arrange posts in, and no silent award failures."""

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forum.badges.models import BadgeAward
from forum.extensions import db

# A Wednesday at noon UTC: mid-week and far from midnight.
NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_award_errors(caplog):
    """Fail a test whose after-commit awarding logged an error it swallowed."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [
        r
        for r in caplog.records
        if r.name.startswith(("forum.badges", "forum.notifications"))
    ]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture
def open_voting(app):
    """Let every member vote, as often as a test needs."""
    app.config.update(
        PRIVILEGE_THRESHOLDS={"vote_up": 0, "vote_down": 0},
        VOTES_PER_DAY=1000,
        REPUTATION_DAILY_CAP=100_000,
    )


@pytest.fixture
def thresholds(app):
    """Return a function that overrides badge thresholds for this test."""

    def override(**values):
        """Set some badge thresholds."""
        app.config["BADGE_THRESHOLDS"] = {
            **(app.config.get("BADGE_THRESHOLDS") or {}),
            **values,
        }

    return override


def awards_of(user, slug=None) -> list[BadgeAward]:
    """Return the member's awards, of one badge if given."""
    stmt = select(BadgeAward).where(BadgeAward.user_id == user.id)
    if slug is not None:
        stmt = stmt.where(BadgeAward.badge == slug)
    return list(db.session.scalars(stmt.order_by(BadgeAward.id)))


def holds(user, slug) -> bool:
    """Tell whether the member holds the badge."""
    return bool(awards_of(user, slug))
