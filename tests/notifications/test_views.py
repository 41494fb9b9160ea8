"""The inbox page and the unread count in the top bar; all without JavaScript."""

import re

from forum.extensions import db
from forum.notifications import services


def text_of(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def unread_in_top_bar(page: str) -> str | None:
    """Return the unread count the top bar shows, or None."""
    header = page[: page.index("</header>")]
    found = re.search(r'class="inbox-count">([^<]+)<', header)
    return found.group(1) if found else None


def _notify(member, *texts):
    """Give the member notifications and commit."""
    for text in texts:
        services.notify(member, "badge", text, "/badges/editor")
    db.session.commit()


def test_inbox_needs_a_login(client):
    """Visitors are sent to log in."""
    response = client.get("/inbox")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_top_bar_shows_the_unread_count(client, auth, make_user):
    """A member with unread notifications sees how many next to the inbox link."""
    member = make_user()
    auth.login(member)
    assert unread_in_top_bar(text_of(client.get("/"))) is None
    _notify(member, "One", "Two", "Three")
    page = text_of(client.get("/"))
    assert unread_in_top_bar(page) == "3"
    assert 'href="/inbox"' in page


def test_top_bar_caps_a_large_count(client, auth, make_user):
    """More than 99 unread shows as 99+ so the bar keeps its size."""
    member = make_user()
    auth.login(member)
    _notify(member, *[f"Entry {n}" for n in range(120)])
    assert unread_in_top_bar(text_of(client.get("/"))) == "99+"


def test_the_unread_count_costs_one_statement(client, auth, make_user, count_queries):
    """The top bar's count is a single query per page, however many entries."""
    member = make_user()
    auth.login(member)
    client.get("/inbox")
    with count_queries() as few:
        client.get("/tags")
    _notify(member, *[f"Entry {n}" for n in range(5)])
    with count_queries() as many:
        client.get("/tags")
    assert few.count == many.count
    assert sum("FROM notifications" in s for s in many.statements) == 1


def test_inbox_lists_newest_first_with_unread_marked(client, auth, make_user):
    """The inbox shows entries newest first; unread ones are marked for everyone."""
    member = make_user()
    _notify(member, "Older entry", "Newer entry")
    services.mark_read(member, 1)
    auth.login(member)
    page = text_of(client.get("/inbox"))
    assert page.index("Newer entry") < page.index("Older entry")
    assert page.count("Unread: ") == 1
    assert "1 unread notification." in page
    assert 'href="/badges/editor"' in page


def test_mark_all_read_works_without_javascript(client, auth, make_user):
    """The "Mark all read" form posts, redirects and leaves nothing unread."""
    member = make_user()
    _notify(member, "One", "Two")
    auth.login(member)
    page = text_of(client.get("/inbox"))
    assert 'action="/inbox/read"' in page
    response = client.post("/inbox/read")
    assert response.status_code == 302
    page = text_of(client.get("/inbox"))
    assert "You are all caught up." in page
    assert unread_in_top_bar(page) is None


def test_mark_one_read(client, auth, make_user):
    """Each unread entry has its own button that marks just it read."""
    member = make_user()
    _notify(member, "One", "Two")
    auth.login(member)
    response = client.post("/inbox/1/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inbox#notification-1")
    assert services.unread_count(member) == 1


def test_someone_elses_notification_is_404(client, auth, make_user):
    """Marking another member's entry read is refused as not found."""
    owner, member = make_user(), make_user()
    _notify(owner, "Private")
    auth.login(member)
    assert client.post("/inbox/1/read").status_code == 404
    assert services.unread_count(owner) == 1


def test_empty_inbox_says_so(client, auth, make_user):
    """A member with no notifications gets a plain note."""
    auth.login(make_user())
    assert "Nothing here yet." in text_of(client.get("/inbox"))
