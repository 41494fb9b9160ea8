"""Demo threads: answers answer the question; reactions to a post are comments on it."""

from sqlalchemy import select

from forum.demo import data
from forum.demo.cli import load_demo
from forum.extensions import db
from forum.posts.models import ANSWER, Comment, Post

# Openings of replies that react to a post instead of answering the question.
REACTIONS = (
    "+1",
    "agree",
    "bookmarking",
    "following",
    "me too",
    "same here",
    "same problem",
    "same happened",
    "happened to me",
    "thanks for asking",
)
SHORTEST_ANSWER = 120

# Demo replies that were answers once and are comments now.
MOVED = (
    "Bookmarking this.",
    "Thanks for asking this publicly.",
    "Same happened to me, my manager approved on the 17th.",
    "Maria, please book at least some of it.",
)


def _answers() -> list[dict]:
    """Return every answer of the demo data."""
    return [answer for spec in data.QUESTIONS for answer in spec["answers"]]


def test_no_demo_answer_is_a_reaction():
    """No demo answer opens like a comment (+1, bookmarking, thanks for asking...)."""
    for answer in _answers():
        opening = answer["body"].lstrip().lower()
        assert not opening.startswith(REACTIONS), answer["body"]


def test_demo_answers_are_substantial():
    """Every demo answer is longer than a one-line remark."""
    for answer in _answers():
        assert len(answer["body"]) > SHORTEST_ANSWER, answer["body"]


def test_reactions_are_seeded_as_comments(app):
    """The demo's reactions to a post are comments, not answers."""
    load_demo("demo-pass-123")
    comments = " ".join(db.session.scalars(select(Comment.body_markdown)))
    answers = " ".join(
        db.session.scalars(select(Post.body_markdown).where(Post.type == ANSWER))
    )
    for text in MOVED:
        assert text in comments
        assert text not in answers
