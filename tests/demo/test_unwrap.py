"""Demo texts: hard-wrapped source becomes natural paragraphs; members look active."""

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.demo.cli import load_demo, unwrap
from forum.extensions import db
from forum.posts.models import Post


def test_unwrap_joins_paragraph_lines_only():
    """Wrapped paragraph and list lines join; code, tables and new items stay apart."""
    source = (
        "Hello there\nworld.\n\n- item one\n- item two\n  continued\n"
        "```\na\nb\n```\n| a | b |\n| - | - |"
    )
    assert unwrap(source) == (
        "Hello there world.\n\n- item one\n- item two continued\n"
        "```\na\nb\n```\n| a | b |\n| - | - |"
    )


def test_demo_posts_have_no_mid_sentence_breaks(app):
    """No demo post breaks a sentence with a line break in its first paragraph."""
    load_demo("demo-pass-123")
    for html in db.session.scalars(select(Post.body_html)):
        first = html.split("</p>")[0]
        if first.startswith("<p>") and "<br" in first:
            before = first.split("<br")[0]
            assert before.rstrip().endswith((".", ":", "?", "!", ")", "*", "`")), first


def test_demo_members_were_last_seen_at_their_latest_activity(app):
    """A demo member who posted recently does not look absent for a year."""
    load_demo("demo-pass-123")
    for user in db.session.scalars(select(User)):
        latest = db.session.scalar(
            select(func.max(Post.created_at)).where(Post.author_id == user.id)
        )
        if latest is not None:
            assert user.last_seen_at >= latest
