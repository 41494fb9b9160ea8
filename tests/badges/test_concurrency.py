"""Badges earned by votes cast at the same moment: awarded once, nothing fails."""

import threading

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.badges.models import BadgeAward
from forum.extensions import db
from forum.notifications.models import Notification
from forum.posts.models import Post
from forum.reputation import services as reputation
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason=(
        "concurrent awarding needs PostgreSQL's row locks; SQLite serialises every "
        "writer anyway. Set FORUM_TEST_DATABASE_URL to run it."
    ),
)


def test_thirty_votes_at_once_award_each_badge_once(
    app, open_voting, make_user, make_question
):
    """Thirty simultaneous up votes: Nice and Good Question once each, no errors."""
    author = make_user()
    question = make_question(author=author)
    voters = [make_user().id for _ in range(30)]
    barrier = threading.Barrier(len(voters))
    errors = []

    def vote(voter_id):
        """Cast one up vote in a fresh app context, as a request would."""
        barrier.wait()
        with app.app_context():
            try:
                voter = db.session.get(User, voter_id)
                reputation.cast_vote(voter, db.session.get(Post, question.id), "up")
            except Exception as error:  # any error fails the test
                errors.append(error)

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    slugs = sorted(
        db.session.scalars(
            select(BadgeAward.badge).where(BadgeAward.user_id == author.id)
        )
    )
    assert slugs == ["good-question", "nice-question", "student"]
    inbox = db.session.scalars(
        select(Notification).where(Notification.user_id == author.id)
    ).all()
    assert len(inbox) == 3
    supporters = db.session.scalars(
        select(BadgeAward.user_id).where(BadgeAward.badge == "supporter")
    ).all()
    assert sorted(supporters) == sorted(voters)
