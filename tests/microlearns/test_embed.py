"""The embeddable widget: who may frame it, what it shows, the settings behind it."""

import pytest

from forum.config import parse_hosts, parse_origins
from forum.microlearns.views import with_directives
from forum.web import CONTENT_SECURITY_POLICY

LMS = "https://lms.example.com"


def frame_ancestors(response) -> str:
    """Return the frame-ancestors directive of a response's policy."""
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        if name == "frame-ancestors":
            return value
    raise AssertionError("no frame-ancestors directive")


def test_embed_is_refused_to_everyone_when_unset(client, make_microlearn):
    """Without FORUM_EMBED_ALLOWED_ORIGINS nobody may frame the widget."""
    make_microlearn(key="fire-safety")
    response = client.get("/embed/learn/fire-safety")
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert "X-Frame-Options" not in response.headers


def test_embed_allows_exactly_the_configured_origins(make_app, make_microlearn):
    """The configured origins, and only they, are named in frame-ancestors."""
    app = make_app(EMBED_ALLOWED_ORIGINS=f"{LMS}/ https://app.example.org,,")
    make_microlearn(key="fire-safety")
    response = app.test_client().get("/embed/learn/fire-safety")
    assert frame_ancestors(response) == f"{LMS} https://app.example.org"
    assert "X-Frame-Options" not in response.headers


def test_embed_is_refused_to_an_origin_not_listed(app, client, make_microlearn):
    """An origin missing from the list is not in frame-ancestors, so is refused."""
    app.config["EMBED_ALLOWED_ORIGINS"] = (LMS,)
    make_microlearn(key="fire-safety")
    allowed = frame_ancestors(client.get("/embed/learn/fire-safety")).split()
    assert "https://evil.example.com" not in allowed
    assert "*" not in allowed and "'self'" not in allowed


def test_other_pages_still_refuse_framing(app, client, make_microlearn):
    """Allowing the widget to be framed leaves every other page unframeable."""
    app.config["EMBED_ALLOWED_ORIGINS"] = (LMS,)
    make_microlearn(key="fire-safety")
    for path in ("/learn", "/learn/fire-safety", "/"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert frame_ancestors(response) == "'self'"


def test_widget_is_self_contained_and_opens_knowhow_in_a_new_tab(
    client, make_microlearn
):
    """The widget has no scripts or inline styles; its links open a new tab."""
    item = make_microlearn(key="fire-safety", title="Fire safety basics")
    response = client.get("/embed/learn/fire-safety")
    page = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert "/static/css/embed.css" in page
    assert item.title in page
    assert "No questions yet" in page
    ask = 'href="http://localhost/learn/fire-safety/ask" target="_blank" rel="noopener"'
    assert ask in page
    # The widget must not start a session: the LMS's iframe has no use for one.
    assert "Set-Cookie" not in response.headers


def test_widget_lists_top_threads(client, make_microlearn, make_question, ask_about):
    """The widget lists linked questions, best voted first, five at most."""
    from forum.extensions import db

    item = make_microlearn(key="fire-safety")
    questions = [ask_about(item) for _ in range(6)]
    questions[3].score = 9
    unlinked = make_question(title="What is the best question about nothing?")
    unlinked.score = 20
    db.session.commit()
    page = client.get("/embed/learn/fire-safety").get_data(as_text=True)
    assert page.count('target="_blank" rel="noopener">How do I') == 5
    first = page.index("How do I")
    assert page[first:].startswith(questions[3].title)
    assert unlinked.title not in page


def test_widget_of_unknown_key_is_404(client):
    """An unknown key is a 404, not an empty widget."""
    assert client.get("/embed/learn/no-such-thing").status_code == 404


def test_embed_stylesheet_exists(app):
    """The widget's stylesheet is served."""
    with app.test_client() as client:
        response = client.get("/static/css/embed.css")
        assert response.status_code == 200
        response.close()


# ---- settings ----


def test_origins_setting_is_parsed_and_validated():
    """Origins are split on spaces and commas, lower-cased and de-duplicated."""
    assert parse_origins("") == ()
    assert parse_origins(" https://LMS.example.com/, http://localhost:8080 ") == (
        "https://lms.example.com",
        "http://localhost:8080",
    )
    assert parse_origins([LMS, LMS]) == (LMS,)


@pytest.mark.parametrize(
    "origin",
    [
        "*",
        "'self'",
        "lms.example.com",
        "https://lms.example.com/path",
        "https://*.example.com",
        "javascript:alert(1)",
        "ftp://lms.example.com",
        "https://lms.example.com;script-src",
    ],
)
def test_bad_origins_stop_the_app_with_a_clear_message(make_app, origin):
    """A configured origin that is not scheme://host[:port] refuses to start."""
    with pytest.raises(RuntimeError, match="FORUM_EMBED_ALLOWED_ORIGINS"):
        make_app(EMBED_ALLOWED_ORIGINS=origin)


def test_player_hosts_setting_is_parsed_and_validated():
    """Player hosts are host names; anything else refuses to start."""
    assert parse_hosts("player.vimeo.com, www.youtube-nocookie.com") == (
        "player.vimeo.com",
        "www.youtube-nocookie.com",
    )
    for bad in ("https://player.vimeo.com", "*.vimeo.com", "a/b"):
        with pytest.raises(RuntimeError, match="FORUM_EMBED_PLAYER_HOSTS"):
            parse_hosts(bad)


def test_policy_directives_are_replaced_not_duplicated():
    """with_directives swaps one directive of the site policy and keeps the rest."""
    policy = with_directives(CONTENT_SECURITY_POLICY, frame_src="'self' https://a.b")
    assert policy.count("frame-src") == 1
    assert "frame-src 'self' https://a.b" in policy
    assert "frame-ancestors 'self'" in policy
    replaced = with_directives(policy, frame_ancestors="'none'")
    assert replaced.count("frame-ancestors") == 1
