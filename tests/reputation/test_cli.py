"""Commands: ``flask reputation recalc`` and ``flask votes audit``."""

from datetime import timedelta

from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import Comment, Post
from forum.reputation import models as m
from forum.reputation import services
from forum.reputation.models import CommentVote, ReputationEvent, Vote
from tests.reputation.conftest import NOW


def count(model, *where) -> int:
    """Return how many rows of a model match."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# ---- reputation recalc ----


def test_recalc_reports_nothing_when_all_matches(
    runner, make_member, make_question, make_answer
):
    """Recalc finds no mismatch after ordinary voting and exits 0."""
    asker, answerer = make_member(1), make_member(1)
    question = make_question(author=asker)
    answer = make_answer(question, author=answerer)
    services.cast_vote(make_member(100), answer, "down", now=NOW)
    services.cast_vote(make_member(15), question, "up", now=NOW)
    result = runner.invoke(args=["reputation", "recalc"])
    assert result.exit_code == 0, result.output
    assert "all match" in result.output


def test_recalc_reports_and_fixes_every_mismatch(
    runner, make_member, make_question, make_answer
):
    """Recalc reports wrong caches and ledger rows, exits 1, and --fix repairs them."""
    asker, answerer, voter = make_member(1), make_member(1), make_member(100)
    question = make_question(author=asker)
    answer = make_answer(question, author=answerer)
    comment = posts.add_comment(asker, answer, "Thanks, that solved it for me.")
    services.cast_vote(voter, question, "up", now=NOW)
    services.vote_comment(voter, comment, now=NOW)
    # An acceptance written behind the ledger's back: missing rows.
    db.session.execute(
        update(Post).where(Post.id == question.id).values(accepted_answer_id=answer.id)
    )
    # A vote removed behind the ledger's back: a stale row and a wrong score.
    db.session.execute(db.delete(Vote))
    db.session.execute(update(User).where(User.id == voter.id).values(reputation=7))
    db.session.execute(update(Comment).values(score=5))
    db.session.commit()

    result = runner.invoke(args=["reputation", "recalc"])
    assert result.exit_code == 1
    output = result.output
    assert "missing ledger row" in output and m.ANSWER_ACCEPTED in output
    assert "stale ledger row" in output and m.QUESTION_UPVOTED in output
    assert f"user {voter.id}: reputation is 7, recomputed 100" in output
    assert f"post {question.id}: score is 1, recomputed 0" in output
    assert f"comment {comment.id}: score is 5, recomputed 1" in output
    assert count(ReputationEvent, ReputationEvent.reason == m.AUDIT_CORRECTION) == 0

    fixed = runner.invoke(args=["reputation", "recalc", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert "Repaired" in fixed.output
    db.session.expire_all()
    assert count(ReputationEvent, ReputationEvent.reason == m.AUDIT_CORRECTION) == 1
    assert (asker.reputation, answerer.reputation, voter.reputation) == (3, 16, 100)
    assert db.session.get(Post, question.id).score == 0
    assert db.session.get(Comment, comment.id).score == count(CommentVote)

    again = runner.invoke(args=["reputation", "recalc"])
    assert again.exit_code == 0, again.output


def test_recalc_resets_reputation_that_has_no_ledger(runner, make_user):
    """Reputation set by hand, outside the ledger, goes back to the starting 1."""
    user = make_user(reputation=500)
    newcomer = make_user()
    result = runner.invoke(args=["reputation", "recalc"])
    assert result.exit_code == 1
    assert f"user {user.id}: reputation is 500, recomputed 1" in result.output
    assert f"user {newcomer.id}:" not in result.output
    assert runner.invoke(args=["reputation", "recalc", "--fix"]).exit_code == 0
    db.session.refresh(user)
    assert user.reputation == 1


# ---- votes audit ----


def serial_votes(voter, posts_, start, step):
    """Cast one up vote on each post, step apart from start."""
    for n, post in enumerate(posts_):
        services.cast_vote(voter, post, "up", now=start + n * step)


def test_votes_audit_reverses_serial_voting(runner, make_member, make_question):
    """Ten votes on one member's posts within 24 hours are reversed, with reasons."""
    target, bystander = make_member(1), make_member(1)
    fan, fair = make_member(15), make_member(15)
    questions = [make_question(author=target) for _ in range(10)]
    other = make_question(author=bystander)
    serial_votes(fan, questions, NOW, timedelta(hours=2))
    serial_votes(fan, [other], NOW, timedelta(0))
    serial_votes(fair, questions[:9], NOW, timedelta(hours=1))
    assert db.session.get(User, target.id).reputation == 1 + 190

    result = runner.invoke(args=["votes", "audit"])
    assert result.exit_code == 0, result.output
    assert f"user {fan.id} -> user {target.id}: 10 votes reversed" in result.output
    db.session.expire_all()
    assert count(Vote, Vote.user_id == fan.id) == 1
    assert count(Vote, Vote.user_id == fair.id) == 9
    assert target.reputation == 1 + 90
    assert bystander.reputation == 11
    reversed_rows = count(
        ReputationEvent, ReputationEvent.reason == m.SERIAL_VOTING_REVERSED
    )
    assert reversed_rows == 10
    assert all(question.score == 1 for question in questions[:9])

    rows = count(ReputationEvent)
    again = runner.invoke(args=["votes", "audit"])
    assert "0 votes reversed" in again.output
    assert count(ReputationEvent) == rows
    assert runner.invoke(args=["reputation", "recalc"]).exit_code == 0


def test_votes_spread_over_more_than_a_day_are_not_serial(
    runner, make_member, make_question
):
    """Ten votes spread wider than 24 hours are not serial voting."""
    target, fan = make_member(1), make_member(15)
    questions = [make_question(author=target) for _ in range(10)]
    serial_votes(fan, questions, NOW, timedelta(hours=2, minutes=40))
    result = runner.invoke(args=["votes", "audit"])
    assert "0 votes reversed" in result.output
    assert count(Vote) == 10


def test_serial_voting_threshold_is_configurable(
    app, runner, make_member, make_question
):
    """SERIAL_VOTES_MIN and SERIAL_VOTES_HOURS set what counts as serial voting."""
    app.config.update(SERIAL_VOTES_MIN=3, SERIAL_VOTES_HOURS=1)
    target, fan = make_member(1), make_member(15)
    questions = [make_question(author=target) for _ in range(4)]
    serial_votes(fan, questions[:3], NOW, timedelta(minutes=10))
    serial_votes(fan, questions[3:], NOW + timedelta(hours=5), timedelta(0))
    dry = runner.invoke(args=["votes", "audit", "--dry-run"])
    assert "3 votes found" in dry.output
    assert count(Vote) == 4
    runner.invoke(args=["votes", "audit"])
    assert count(Vote) == 1
