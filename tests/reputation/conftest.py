"""Fixtures for votes and reputation: members whose reputation comes from the ledger."""

from datetime import UTC, datetime

import pytest

from forum.accounts.models import STARTING_REPUTATION
from forum.extensions import db
from forum.reputation import services

# A Monday at noon UTC: far from midnight, so a few minutes never change the day.
NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def make_member(make_user):
    """Return a factory for members whose reputation above 1 is a ledger bonus row."""

    def factory(reputation=STARTING_REPUTATION, **traits):
        """Register a member and credit what they have above the start as a bonus."""
        user = make_user(**traits)
        if reputation > STARTING_REPUTATION:
            services.record_bonus(user, reputation - STARTING_REPUTATION, NOW)
            db.session.commit()
        return user

    return factory
