"""Votes cast at the same moment from many threads end exactly right (PostgreSQL)."""

import threading

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.posts.models import Post
from forum.reputation import services
from forum.reputation.models import ReputationEvent, Vote
from tests.conftest import PG_URL
from tests.reputation.conftest import NOW

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason=(
        "concurrent voting needs PostgreSQL's row locks; SQLite serialises every "
        "writer anyway. Set FORUM_TEST_DATABASE_URL to run it."
    ),
)


def run_at_once(app, calls):
    """Run each (user id, post id, direction) vote in its own thread at once."""
    barrier = threading.Barrier(len(calls))
    errors, results = [], []

    def vote(user_id, post_id, direction):
        """Cast one vote in a fresh app context, as a request would."""
        barrier.wait()
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                post = db.session.get(Post, post_id)
                results.append(services.cast_vote(user, post, direction, now=NOW))
            except Exception as error:  # every error, of any kind, fails the test
                errors.append(error)

    threads = [threading.Thread(target=vote, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    db.session.expire_all()
    return results


def test_fifty_members_voting_at_once_all_count(app, make_user, make_question):
    """Fifty simultaneous up votes give score 50 and the author 500 more reputation."""
    app.config.update(REPUTATION_DAILY_CAP=10_000, PRIVILEGE_THRESHOLDS={"vote_up": 0})
    author = make_user()
    question = make_question(author=author)
    voters = [make_user() for _ in range(50)]
    results = run_at_once(app, [(v.id, question.id, "up") for v in voters])
    assert sorted(result.score for result in results) == list(range(1, 51))
    assert db.session.get(Post, question.id).score == 50
    assert db.session.get(User, author.id).reputation == 1 + 500
    assert services.audit_reputation() == []


def test_one_member_clicking_twenty_times_at_once_toggles_twenty_times(
    app, make_member, make_question
):
    """Twenty simultaneous clicks on one arrow toggle the vote twenty times."""
    author, voter = make_member(1), make_member(15)
    question = make_question(author=author)
    results = run_at_once(app, [(voter.id, question.id, "up")] * 20)
    assert sorted(result.vote for result in results) == [0] * 10 + [1] * 10
    assert db.session.get(Post, question.id).score == 0
    assert db.session.get(User, author.id).reputation == 1
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
    rows = db.session.scalar(
        select(func.count()).where(ReputationEvent.user_id == author.id)
    )
    assert rows == 20
    assert services.audit_reputation() == []
