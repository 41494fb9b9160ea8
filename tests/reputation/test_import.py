"""Votes loaded in bulk (seeding, imports), the demo's votes and the bench's votes."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import Comment, Post
from forum.reputation import models as m
from forum.reputation import services
from forum.reputation.models import CommentVote, ReputationEvent, Vote
from forum.reputation.services import PastCommentVote, PastVote
from tests.reputation.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]


def count(model, *where) -> int:
    """Return how many rows of a model match."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def reputation_of(user) -> int:
    """Return a member's stored reputation."""
    return db.session.scalar(select(User.reputation).where(User.id == user.id))


@pytest.fixture
def thread(make_user, make_question, make_answer):
    """Return a question, its answer and three would-be voters, all at 1."""
    question = make_question(now=NOW - timedelta(days=1))
    answer = make_answer(question, now=NOW - timedelta(days=1))
    return question, answer, [make_user() for _ in range(3)]


def test_imported_votes_write_what_casting_writes(thread):
    """Import writes votes, scores and ledger rows as casting them would."""
    question, answer, (a, b, c) = thread
    services.record_bonus(answer.author, 20, NOW - timedelta(days=1))
    services.record_bonus(b, 20, NOW - timedelta(days=1))
    db.session.commit()
    loaded = services.import_votes(
        [
            PastVote(a.id, question.id, 1, NOW),
            PastVote(b.id, answer.id, -1, NOW),
            PastVote(c.id, answer.id, 1, NOW + timedelta(minutes=1)),
        ]
    )
    assert loaded == 3
    assert db.session.get(Post, question.id).score == 1
    assert db.session.get(Post, answer.id).score == 0
    assert reputation_of(question.author) == 11
    assert reputation_of(answer.author) == 21 - 2 + 10
    assert reputation_of(b) == 20
    reasons = db.session.scalars(
        select(ReputationEvent.reason).where(ReputationEvent.post_id == answer.id)
    ).all()
    assert sorted(reasons) == sorted([m.DOWNVOTED, m.DOWNVOTE_CAST, m.ANSWER_UPVOTED])
    assert services.audit_reputation() == []
    # Imported votes are ordinary votes: a click takes one back.
    services.cast_vote(a, question, "up", now=NOW + timedelta(minutes=2))
    assert reputation_of(question.author) == 1
    assert services.audit_reputation() == []


def test_import_keeps_the_daily_cap_of_each_vote_day(make_user, make_question):
    """Imported up votes earn at most the cap on their UTC day, and the floor holds."""
    author = make_user()
    questions = [make_question(author=author) for _ in range(12)]
    voters = [make_user() for _ in range(2)]
    day_one = [PastVote(v.id, q.id, 1, NOW) for v in voters for q in questions[:11]]
    day_two = [PastVote(voters[0].id, questions[11].id, 1, NOW + timedelta(days=1))]
    services.import_votes(day_one + day_two)
    assert reputation_of(author) == 1 + 200 + 10
    assert services.days_over_cap() == []
    newcomer = make_user()
    own = make_question(author=newcomer)
    voter = make_user()
    services.import_votes([PastVote(voter.id, own.id, -1, NOW)])
    assert reputation_of(newcomer) == 1
    assert services.audit_reputation() == []


@pytest.mark.parametrize(
    ("make_vote", "error"),
    [
        (lambda q, a, v: PastVote(q.author_id, q.id, 1, NOW), PermissionDenied),
        (lambda q, a, v: PastVote(v.id, 424242, 1, NOW), NotFound),
        (lambda q, a, v: PastVote(v.id, q.id, 2, NOW), ValidationError),
    ],
)
def test_import_refuses_votes_that_break_the_rules(thread, make_vote, error):
    """Self votes, missing posts and values other than 1 and -1 are refused."""
    question, answer, (voter, *_) = thread
    with pytest.raises(error):
        services.import_votes([make_vote(question, answer, voter)])
    assert count(Vote) == 0 and count(ReputationEvent) == 0


def test_import_refuses_second_votes_and_deleted_posts(thread):
    """A member votes once on a post, and deleted posts take no votes."""
    question, answer, (voter, *_) = thread
    twice = [PastVote(voter.id, question.id, 1, NOW)] * 2
    with pytest.raises(ValidationError):
        services.import_votes(twice)
    services.import_votes(twice[:1])
    with pytest.raises(Conflict):
        services.import_votes(twice[:1])
    posts.delete_post(answer.author, answer)
    with pytest.raises(Conflict):
        services.import_votes([PastVote(voter.id, answer.id, 1, NOW)])
    assert count(Vote) == 1
    assert services.audit_reputation() == []


def test_imported_comment_votes_add_to_the_score(thread):
    """Imported comment votes raise the comments' scores, never on your own comment."""
    question, answer, (a, b, _) = thread
    comment = posts.add_comment(question.author, answer, "Which floor is that on?")
    loaded = services.import_comment_votes(
        [PastCommentVote(a.id, comment.id, NOW), PastCommentVote(b.id, comment.id, NOW)]
    )
    assert loaded == 2
    assert db.session.get(Comment, comment.id).score == 2
    with pytest.raises(ValidationError):
        services.import_comment_votes(
            [PastCommentVote(question.author_id, comment.id, NOW)]
        )
    assert count(CommentVote) == 2
    assert services.audit_reputation() == []


# ---- the demo and the bench ----


def test_demo_reputation_follows_from_demo_votes(runner):
    """seed-demo casts votes from which scores, reputation and privileges follow."""
    from forum.demo import data

    result = runner.invoke(args=["seed-demo", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    assert count(Vote) > 300 and count(CommentVote) > 20
    assert services.audit_reputation() == []
    assert services.find_serial_voting() == []
    assert services.days_over_cap() == []
    self_votes = count(Vote, Vote.user_id == Post.author_id, Vote.post_id == Post.id)
    assert self_votes == 0
    emails = {spec["email"] for spec in data.USERS if spec["role"] == "member"}
    members = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    reputations = sorted((user.reputation for user in members), reverse=True)
    assert reputations[0] >= 1000  # someone edits any post
    assert sum(r >= 100 for r in reputations) >= 5  # several vote down
    assert sum(r >= 15 for r in reputations) >= 10  # most vote up
    # Only the ledger made it: every member's reputation is 1 plus their rows.
    assert all(
        user.reputation
        == 1
        + db.session.scalar(
            select(func.coalesce(func.sum(ReputationEvent.amount), 0)).where(
                ReputationEvent.user_id == user.id
            )
        )
        for user in members
    )
    votes_before = count(Vote)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert count(Vote) == votes_before


def load_bench_seed():
    """Import bench/seed.py, which is a script rather than a package module."""
    spec = importlib.util.spec_from_file_location("bench_seed", ROOT / "bench/seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_votes_follow_the_askbot_proportion_and_audit_clean(app):
    """bench/seed.py adds votes in Askbot's proportion; the ledger audit is clean."""
    bench = load_bench_seed()
    meta = bench.seed(12, 30, log=lambda *args: None)
    assert meta["question_votes"] == round(5672 * 30 / 10_000) == 17
    assert meta["answer_votes"] == round(57769 * 30 / 10_000) == 173
    assert count(Vote) == meta["votes"] == 190
    on_questions = count(Vote, Vote.post_id == Post.id, Post.type == "question")
    assert on_questions == 17
    assert services.audit_reputation() == []
    assert services.days_over_cap() == []
    total_score = db.session.scalar(select(func.sum(Post.score)))
    assert total_score == db.session.scalar(select(func.sum(Vote.value)))
