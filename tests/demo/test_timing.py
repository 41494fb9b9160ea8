"""Demo times: spread naturally over the clock, in thread order, never in the future."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.demo import data
from forum.demo.cli import load_demo, schedule_thread
from forum.extensions import db
from forum.posts.models import ANSWER, QUESTION, Comment, Post

# A night-time seed: without a working-hours bias, every thread would be at 03:17.
NOW = datetime(2025, 3, 12, 3, 17, 41, tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    """Return the moment timezone-aware, as SQLite hands datetimes back naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_post_times_are_spread_over_the_hour(app):
    """No minute or second of the hour holds more than a tenth of the demo posts."""
    load_demo("demo-pass-123", now=NOW)
    times = db.session.scalars(select(Post.created_at)).all()
    times += db.session.scalars(select(Comment.created_at)).all()
    limit = len(times) / 10
    assert max(Counter(t.minute for t in times).values()) <= limit
    assert max(Counter(t.second for t in times).values()) <= limit
    assert max(Counter(t.hour for t in times).values()) <= len(times) / 4


def test_older_questions_are_asked_mostly_in_working_hours(app):
    """Most questions older than two days were asked between 06:00 and 23:00."""
    load_demo("demo-pass-123", now=NOW)
    questions = db.session.scalars(select(Post).where(Post.type == QUESTION)).all()
    older = [q for q in questions if NOW - _utc(q.created_at) > timedelta(days=2)]
    daytime = [q for q in older if 6 <= q.created_at.hour < 23]
    office = [q for q in older if 8 <= q.created_at.hour < 18]
    assert len(daytime) == len(older) > 30
    assert len(office) >= 0.7 * len(older)


def test_threads_happen_in_order(app):
    """Answers follow their question, comments their post, members their joining."""
    load_demo("demo-pass-123", now=NOW)
    posts = {p.id: p for p in db.session.scalars(select(Post))}
    for post in posts.values():
        author = db.session.get(User, post.author_id)
        assert _utc(author.created_at) < _utc(post.created_at) < NOW
        if post.type == ANSWER:
            question = posts[post.parent_id]
            assert _utc(question.created_at) < _utc(post.created_at)
            assert _utc(question.last_activity_at) >= _utc(post.created_at)
    for comment in db.session.scalars(select(Comment)):
        post = posts[comment.post_id]
        assert _utc(post.created_at) < _utc(comment.created_at) < NOW
        author = db.session.get(User, comment.author_id)
        assert _utc(author.created_at) < _utc(comment.created_at)
        question = posts[post.parent_id] if post.type == ANSWER else post
        assert _utc(question.last_activity_at) >= _utc(comment.created_at)


def test_thread_times_are_the_same_on_every_seed():
    """The same seed time gives every thread the same times, oldest event first."""
    for spec in data.QUESTIONS:
        events = schedule_thread(spec, NOW)
        assert events == schedule_thread(spec, NOW)
        times = [event[0] for event in events]
        assert times == sorted(times)
        assert times[-1] < NOW
