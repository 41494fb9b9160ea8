"""`flask badges award`: catches up on every badge for everyone, idempotently."""

from sqlalchemy import select

from forum.badges.models import BadgeAward
from forum.extensions import db


def test_award_catches_up_and_is_idempotent(runner, make_question, make_answer):
    """The command awards what was missed, then finds nothing more to do."""
    answer = make_answer(make_question())
    answer.score = 25  # set directly: no event noted, so nothing awarded yet
    db.session.commit()
    assert db.session.scalars(select(BadgeAward)).all() == []
    result = runner.invoke(args=["badges", "award"])
    assert result.exit_code == 0, result.output
    assert "Awarded 3 badges." in result.output
    slugs = set(db.session.scalars(select(BadgeAward.badge)))
    assert {"teacher", "nice-answer", "good-answer"} <= slugs
    again = runner.invoke(args=["badges", "award"])
    assert again.exit_code == 0
    assert "already holds every badge" in again.output
