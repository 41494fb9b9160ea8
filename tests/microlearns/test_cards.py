"""Citations: [[ml:KEY]] in a post shows as a microlearn card when the page is shown."""

import re

import pytest
from markupsafe import Markup

from forum.markup import render_markdown
from forum.microlearns import services
from forum.microlearns.cards import replace_citations
from forum.posts import services as posts


def fake_card(key: str, block: bool):
    """Return a marker for known keys (those starting with "ok"), None otherwise."""
    if not key.startswith("ok"):
        return None
    return f"<CARD {key} {'block' if block else 'inline'}>"


@pytest.mark.parametrize(
    "text",
    ["[[ml:a-b]]", "See [[ml:a-b]].", "- [[ml:a-b]]", "**[[ml:a-b]]**"],
)
def test_markdown_keeps_citations_as_plain_text(text):
    """The sanitiser leaves [[ml:KEY]] intact as text, so display time can find it."""
    assert "[[ml:a-b]]" in render_markdown(text)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>[[ml:ok-one]]</p>", "<CARD ok-one block>"),
        ("<p>See [[ml:ok-one]] now.</p>", "<p>See <CARD ok-one inline> now.</p>"),
        ("<p>[[ML:OK-One]]</p>", "<CARD ok-one block>"),
        ("<li>[[ml:ok-one]]</li>", "<li><CARD ok-one inline></li>"),
        ("<p>[[ml:unknown]]</p>", "<p>[[ml:unknown]]</p>"),
        (
            "<p>[[ml:ok-a]] and [[ml:no-b]]</p>",
            "<p><CARD ok-a inline> and [[ml:no-b]]</p>",
        ),
        ("<p><code>[[ml:ok-one]]</code></p>", "<p><code>[[ml:ok-one]]</code></p>"),
        (
            "<pre><code>[[ml:ok-one]]\n</code></pre>",
            "<pre><code>[[ml:ok-one]]\n</code></pre>",
        ),
        (
            '<p><a href="https://x.org">see [[ml:ok-one]]</a></p>',
            '<p><a href="https://x.org">see [[ml:ok-one]]</a></p>',
        ),
        (
            '<p><a href="[[ml:ok-one]]">x</a></p>',
            '<p><a href="[[ml:ok-one]]">x</a></p>',
        ),
        ("<p>[[ml:ok_one]] [[ml: ok]]</p>", "<p>[[ml:ok_one]] [[ml: ok]]</p>"),
    ],
)
def test_citations_become_cards_outside_links_and_code(html, expected):
    """A citation alone in a paragraph is a block card, in text an inline one.

    Inside code and links, and for keys the lookup does not know, the text stays.
    """
    result = replace_citations(html, fake_card)
    assert isinstance(result, Markup)
    assert result == expected


@pytest.fixture
def cited(make_microlearn, make_question, make_answer):
    """Return a question with answers citing a known, an unknown and a retired key."""

    def factory(curator):
        item = make_microlearn(
            key="fire-safety",
            title="Fire <b>safety</b> & you",
            objective="Know what to do when the alarm <i>sounds</i>.",
            format="video",
            duration_minutes="4",
        )
        old = make_microlearn(key="fire-drills-2019", title="Fire drills, 2019")
        services.retire_microlearn(curator, old)
        question = make_question(title="What do I do when the fire alarm sounds?")
        make_answer(
            question,
            body="It covers it:\n\n[[ml:fire-safety]]\n\nAnd `[[ml:fire-safety]]`.",
        )
        make_answer(
            question,
            body="Also [[ml:fire-drills-2019]] and [[ml:no-such-item]], still useful.",
        )
        return question, item

    return factory


def test_question_page_shows_cited_microlearns_as_escaped_cards(client, curator, cited):
    """Known keys become cards with every text escaped; unknown keys stay as text."""
    question, item = cited(curator)
    page = client.get(f"/posts/{question.id}", follow_redirects=True).get_data(
        as_text=True
    )
    card = page.split('<aside class="ml-cite')[1].split("</aside>")[0]
    assert 'href="/learn/fire-safety"' in card
    assert "Fire &lt;b&gt;safety&lt;/b&gt; &amp; you" in card
    assert "the alarm &lt;i&gt;sounds&lt;/i&gt;" in card
    assert "Video" in card and "4 min" in card
    assert "<b>safety</b>" not in page
    assert "<code>[[ml:fire-safety]]</code>" in page
    assert "[[ml:no-such-item]]" in page
    retired = page.split('class="ml-cite-inline" href="/learn/fire-drills-2019"')[1]
    assert retired.split("</a>")[1].startswith(
        ' <span class="ml-cite-retired">(retired)'
    )


def test_all_citations_on_a_page_load_in_one_statement(
    client, curator, cited, make_answer, make_microlearn, count_queries
):
    """However many answers cite microlearns, one statement loads them all."""
    question, _ = cited(curator)
    for n in range(3):
        make_microlearn(key=f"extra-{n}")
        make_answer(question, body=f"Another good one is [[ml:extra-{n}]], honestly.")
    with count_queries() as counter:
        page = client.get(f"/posts/{question.id}", follow_redirects=True)
    assert page.get_data(as_text=True).count("ml-cite-inline") == 4
    # SQLite quotes the column ("key"), PostgreSQL does not.
    by_key = [
        s
        for s in counter.statements
        if "FROM microlearns" in s and re.search(r'\bkey"? IN \(', s)
    ]
    assert len(by_key) == 1


def test_tag_wiki_shows_cited_microlearns(client, make_user, make_microlearn):
    """A tag's wiki shows its citations as cards too."""
    make_microlearn(key="fire-safety", title="Fire safety basics", tags="fire")
    admin = make_user(role="admin")
    tag = posts.get_tag("fire")
    posts.edit_tag(admin, tag, "Fire safety.", "Start here:\n\n[[ml:fire-safety]]")
    page = client.get("/tags/fire").get_data(as_text=True)
    assert '<aside class="ml-cite"' in page and "Fire safety basics" in page
