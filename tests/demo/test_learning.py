"""The demo's learning catalogue: microlearns, content, ratings, playlists, links."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from forum.demo import content, data
from forum.demo.cli import load_demo
from forum.extensions import db
from forum.microlearns.models import (
    AnswerHealth,
    Microlearn,
    MicrolearnRating,
    Playlist,
    PlaylistItem,
)
from forum.posts.models import QUESTION, Post, Tag
from forum.posts.services import slugify

PASSWORD = "demo-pass-123"


def test_catalogue_has_every_format_and_the_demo_topics():
    """At least 20 microlearns, in every format, on the demo's own tags."""
    assert len(data.MICROLEARNS) >= 20
    assert {m["format"] for m in data.MICROLEARNS} == set(content.FORMAT_LABELS)
    demo_tags = {tag["name"] for tag in data.TAGS}
    topics = {tag for m in data.MICROLEARNS for tag in m["tags"]}
    assert topics <= demo_tags and len(topics) >= 15


def test_no_demo_text_links_to_the_placeholder_intranet():
    """Nothing in the demo links to intranet.example.com, which goes nowhere."""
    assert "intranet.example.com" not in repr(
        (data.USERS, data.TAGS, data.QUESTIONS, data.MICROLEARNS)
    )


def test_content_files_are_built_from_the_data():
    """Each demo microlearn has its committed content file, as the data builds it."""
    on_disk = {path.name for path in content.CONTENT_DIR.iterdir()}
    assert on_disk == {content.file_name(spec) for spec in data.MICROLEARNS}
    for spec in data.MICROLEARNS:
        path = content.CONTENT_DIR / content.file_name(spec)
        assert path.read_bytes() == content.build(spec), (
            f"{path.name} is stale: run python -m forum.demo.content"
        )


@pytest.mark.parametrize(
    "spec",
    [m for m in data.MICROLEARNS if m["format"] == "pdf"],
    ids=lambda m: m["key"],
)
def test_pdf_content_is_a_well_formed_one_page_pdf(spec):
    """A PDF's cross-reference table points at each of its objects; it has a page."""
    pdf = content.build(spec)
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    start = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[start:].startswith(b"xref\n")
    offsets = [int(line[:10]) for line in re.findall(rb"\d{10} 00000 n ", pdf)]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"/Count 1" in pdf and spec["title"].encode("cp1252") in pdf
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")


def test_seed_loads_the_catalogue(app):
    """Seeding adds the microlearns, ratings, public playlists and linked questions.

    The new versions in the data leave answers waiting on the content health list.
    """
    created = load_demo(PASSWORD)
    assert created["microlearns"] == len(data.MICROLEARNS)
    assert created["playlists"] == len(data.PLAYLISTS)
    count = db.session.scalar(select(func.count()).select_from(MicrolearnRating))
    assert count == sum(len(ratings) for ratings in data.RATINGS.values())
    playlists = db.session.scalars(select(Playlist)).all()
    assert len(playlists) == 3 and all(p.visibility == "public" for p in playlists)
    assert sum(p.is_featured for p in playlists) == 1
    assert all(
        p.item_count == len(spec["items"])
        for p, spec in zip(
            sorted(playlists, key=lambda p: p.id), data.PLAYLISTS, strict=True
        )
    )
    linked = [q for q in data.QUESTIONS if q.get("microlearn")]
    assert len(linked) >= 10
    for spec in linked:
        question = db.session.scalar(select(Post).where(Post.title == spec["title"]))
        microlearn = db.session.get(Microlearn, question.microlearn_id)
        assert microlearn.key == spec["microlearn"]
    counts = dict(
        db.session.execute(select(Microlearn.key, Microlearn.question_count)).all()
    )
    assert counts["refunds-policy"] == 1 and counts["who-to-ask"] == 0
    urls = db.session.scalars(select(Microlearn.content_url)).all()
    assert all(url.startswith(content.URL_PREFIX) for url in urls)
    waiting = db.session.scalars(
        select(AnswerHealth).where(AnswerHealth.resolved_at.is_(None))
    ).all()
    assert {mark.microlearn.key for mark in waiting} == {
        new["microlearn"] for new in data.NEW_VERSIONS
    }
    assert load_demo(PASSWORD)["microlearns"] == 0
    assert db.session.scalar(select(func.count()).select_from(PlaylistItem)) == sum(
        len(spec["items"]) for spec in data.PLAYLISTS
    )


class _Links(HTMLParser):
    """Collect the href of every link in a page's main content."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        """Note links inside <main>."""
        if tag == "main":
            self._in_main = True
        href = dict(attrs).get("href")
        if self._in_main and tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        """Leave <main>."""
        if tag == "main":
            self._in_main = False


def test_every_link_in_the_demo_leads_somewhere(app, client):
    """Links in demo posts, citations and tag wikis open a page here or a real site.

    Every question page and tag page is read after seeding; each link inside the
    main content that stays on the site answers 200 (after redirects), and no
    citation is left as the raw [[ml:KEY]] text.
    """
    load_demo(PASSWORD)
    pages = [
        f"/questions/{q.id}/{slugify(q.title)}"
        for q in db.session.scalars(select(Post).where(Post.type == QUESTION))
    ] + [f"/tags/{name}" for name in db.session.scalars(select(Tag.name))]
    checked: dict[str, int] = {}
    for page in pages:
        text = client.get(page).get_data(as_text=True)
        assert "[[ml:" not in text, page
        parser = _Links()
        parser.feed(text)
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                assert parts.hostname in data.EXTERNAL_HOSTS, (page, href)
                continue
            if parts.scheme or not parts.path or href in checked:
                continue
            response = client.get(href, follow_redirects=True)
            checked[href] = response.status_code
            response.close()
    broken = {href: status for href, status in checked.items() if status != 200}
    assert broken == {}
    assert any(href.startswith(content.URL_PREFIX) for href in checked) or any(
        href.startswith("/learn/") for href in checked
    )
    for spec in data.MICROLEARNS:
        response = client.get(content.content_url(spec))
        assert response.status_code == 200, spec["key"]
        response.close()
