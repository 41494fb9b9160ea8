"""Notification rules: adding entries in a caller's transaction, marking them read."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.errors import NotFound
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


def test_notify_joins_the_callers_transaction(make_user):
    """notify adds an entry without committing: a rollback takes it away."""
    member = make_user()
    services.notify(member, "badge", "You earned a badge.", "/badges/editor")
    db.session.rollback()
    assert services.unread_count(member) == 0
    services.notify(member, "badge", "You earned a badge.", "/badges/editor")
    db.session.commit()
    assert services.unread_count(member) == 1


@pytest.mark.parametrize(
    "url, kept",
    [
        ("/badges/editor", "/badges/editor"),
        ("https://example.com/", ""),
        ("//example.com/", ""),
        ("javascript:alert(1)", ""),
        ("/" + "a" * 600, ""),
    ],
)
def test_only_paths_on_this_site_become_links(make_user, url, kept):
    """A notification links only to a path on this site; anything else is dropped."""
    entry = services.notify(make_user(), "badge", "Something happened.", url)
    assert entry.url == kept


def test_long_texts_are_shortened(make_user):
    """A text longer than the column is cut with an ellipsis, not refused."""
    entry = services.notify(make_user(), "badge", "x" * 400)
    assert len(entry.text) == 300 and entry.text.endswith("…")


def test_inbox_is_newest_first(make_user):
    """The inbox lists a member's notifications newest first, theirs only."""
    member, other = make_user(), make_user()
    for n in range(3):
        services.notify(member, "badge", f"Number {n}", now=NOW + timedelta(hours=n))
    services.notify(other, "badge", "Not yours")
    db.session.commit()
    texts = [n.text for n in db.session.scalars(services.inbox_for(member))]
    assert texts == ["Number 2", "Number 1", "Number 0"]


def test_mark_read_marks_one(make_user):
    """mark_read marks one entry read and leaves the others unread."""
    member = make_user()
    first = services.notify(member, "badge", "First")
    services.notify(member, "badge", "Second")
    db.session.commit()
    services.mark_read(member, first.id, now=NOW)
    assert db.session.get(Notification, first.id).read_at == NOW
    assert services.unread_count(member) == 1


def test_nobody_marks_another_members_notification(make_user):
    """mark_read refuses an entry of someone else as if it did not exist."""
    member, other = make_user(), make_user()
    entry = services.notify(other, "badge", "Theirs")
    db.session.commit()
    with pytest.raises(NotFound):
        services.mark_read(member, entry.id)
    assert db.session.get(Notification, entry.id).read_at is None


def test_mark_all_read_marks_only_the_members_unread_entries(make_user):
    """mark_all_read clears the member's unread count and no one else's."""
    member, other = make_user(), make_user()
    for text in ("One", "Two"):
        services.notify(member, "badge", text)
    services.notify(other, "badge", "Theirs")
    db.session.commit()
    assert services.mark_all_read(member) == 2
    assert services.mark_all_read(member) == 0
    assert services.unread_count(member) == 0
    assert services.unread_count(other) == 1
    unread = db.session.scalars(
        select(Notification).where(Notification.read_at.is_(None))
    ).all()
    assert [n.text for n in unread] == ["Theirs"]
