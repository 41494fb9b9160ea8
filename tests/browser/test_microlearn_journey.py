"""From an LMS's embedded widget to a linked question, a rating and a playlist."""

import re
import threading
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from .conftest import DESKTOP, PASSWORD, PHONE, _QuietRequestHandler

KEY = "fire-safety"
TITLE = "Where do the night staff meet when the fire alarm sounds?"
BODY = "The video shows the day assembly point. Is it the same one at night?"


@dataclass(frozen=True)
class Seeded:
    """Plain facts about the seeded catalogue, safe to use across threads."""

    member_email: str
    curator_email: str


@pytest.fixture
def catalogue(app, make_member, make_question):
    """Seed a curator, a member, the fire-safety microlearn and its tag."""
    from forum.extensions import db
    from forum.microlearns import services

    curator = make_member("Cora Curator", "cora@example.com")
    curator.role = "curator"
    db.session.commit()
    member = make_member("Nia Nightshift", "nia@example.com")
    make_question(tags="fire-safety")
    services.create_microlearn(
        curator,
        {
            "key": KEY,
            "title": "Fire safety at night",
            "objective": "Lead residents to the night assembly point when the alarm "
            "sounds.",
            "format": "video",
            "content_url": "/static/demo/learn/slide-sheets-repositioning.html",
            "duration_minutes": "4",
            "tags": "fire-safety",
            "version": "1",
        },
    )
    seeded = Seeded(member.email, curator.email)
    db.session.remove()
    return seeded


@pytest.fixture
def lms(live_server):
    """Serve a course page that embeds the widget, from an origin of its own."""

    def course(environ, start_response):
        """Answer every path with a page holding the widget in an iframe."""
        page = (
            "<!doctype html><html lang='en'><head><title>Course</title></head><body>"
            "<h1>Fire safety module</h1>"
            f"<iframe src='{live_server}/embed/learn/{KEY}' title='Questions' "
            "width='600' height='400'></iframe></body></html>"
        ).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page]

    server = make_server(
        "127.0.0.1", 0, course, threaded=True, request_handler=_QuietRequestHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def log_in(page, email: str) -> None:
    """Log in on the login page the browser was sent to."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_from_the_widget_to_a_linked_question(app, catalogue, lms, open_page):
    """A learner asks from the LMS widget and the question is linked everywhere.

    The course page of an allowed LMS frames the widget; its "Ask" link opens
    Knowhow in a new tab with the microlearn pre-linked (the key field suggests
    microlearns as the learner types). The question then shows on the
    microlearn's page, in the threads API and in the widget; the learner rates
    the microlearn and adds it to a new playlist.
    """
    app.config["EMBED_ALLOWED_ORIGINS"] = (lms,)
    course = open_page(DESKTOP)
    course.goto(f"{lms}/course")
    widget = course.frame_locator("iframe")
    expect(widget.get_by_role("heading", name="Questions about this")).to_be_visible()
    expect(widget.get_by_text("No questions yet")).to_be_visible()

    with course.context.expect_page() as opened:
        widget.get_by_role("link", name=re.compile("^Ask a question")).click()
    tab = opened.value
    tab.wait_for_load_state()
    expect(tab).to_have_url(re.compile(r"/login\?next="))
    log_in(tab, catalogue.member_email)

    expect(tab.get_by_text("Your question will be about")).to_be_visible()
    key_field = tab.get_by_label("About a microlearn (optional)")
    expect(key_field).to_have_value(KEY)
    key_field.fill("fire")
    expect(tab.locator("#microlearn-suggestions option")).to_have_attribute(
        "value", KEY
    )
    key_field.fill(KEY)
    tab.get_by_label("Title").fill(TITLE)
    tab.get_by_label("Details").fill(BODY)
    tab.get_by_label("Tags").fill("fire-safety")
    tab.get_by_role("button", name="Post your question").click()
    expect(tab.get_by_text("Your question is posted.")).to_be_visible()
    about = tab.locator("aside.ml-about")
    expect(about).to_contain_text("This question is about")
    expect(about.get_by_role("link", name="Fire safety at night")).to_be_visible()

    tab.goto(f"/learn/{KEY}")
    expect(tab.locator("#questions").get_by_role("link", name=TITLE)).to_be_visible()
    threads = tab.request.get(f"/api/v1/microlearns/{KEY}/threads").json()
    assert [thread["title"] for thread in threads["items"]] == [TITLE]

    tab.get_by_label("5 – very useful").check()
    tab.get_by_label("Still accurate").check()
    tab.get_by_role("button", name="Save your rating").click()
    expect(tab.get_by_text("Thanks: your rating is saved.")).to_be_visible()
    expect(tab.locator(".ml-rating-big")).to_contain_text("from 1 rating")

    tab.locator("summary", has_text="Add to playlist").click()
    tab.get_by_label("Name of the new playlist").fill("Night shift fire safety")
    tab.get_by_role("button", name="Add it").click()
    expect(
        tab.get_by_text("Added to your playlist “Night shift fire safety”.")
    ).to_be_visible()
    tab.goto("/me")
    expect(tab.get_by_role("link", name="Night shift fire safety")).to_be_visible()

    course.reload()
    expect(
        widget.get_by_role("link", name=re.compile(re.escape(TITLE)))
    ).to_be_visible()


def test_widget_is_refused_to_an_origin_not_allowed(app, catalogue, lms, open_page):
    """The browser refuses to show the widget in a page from an origin not allowed.

    The same course page shows it once its origin is in the allowed list.
    """
    app.config["EMBED_ALLOWED_ORIGINS"] = ("https://lms.example.com",)
    course = open_page(DESKTOP)
    refusals = []
    course.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "frame-ancestors" in message.text else None
        ),
    )
    course.goto(f"{lms}/course")
    widget = course.frame_locator("iframe")
    expect(course.get_by_role("heading", name="Fire safety module")).to_be_visible()
    expect(widget.locator("h1.widget-title")).to_have_count(0)
    assert refusals, "Chromium did not report the frame-ancestors refusal"

    app.config["EMBED_ALLOWED_ORIGINS"] = (lms,)
    course.reload()
    expect(widget.locator("h1.widget-title")).to_have_text("Questions about this")


@pytest.fixture
def cited_thread(app, make_member, make_question, make_answer):
    """Seed a linked question whose answers cite microlearns, and a new version."""
    from forum.extensions import db
    from forum.microlearns import services
    from forum.posts import services as posts

    curator = make_member("Cora Curator", "cora@example.com")
    curator.role = "curator"
    db.session.commit()
    make_question(tags="fire-safety")
    fields = {
        "key": KEY,
        "title": "Fire safety at night",
        "objective": "Lead residents to the night assembly point when the alarm "
        "sounds.",
        "format": "video",
        "content_url": "/static/demo/learn/slide-sheets-repositioning.html",
        "duration_minutes": "4",
        "tags": "fire-safety",
        "version": "1",
    }
    item = services.create_microlearn(curator, fields)
    services.create_microlearn(
        curator,
        {
            "key": "fire-doors",
            "title": "Fire doors: the weekly check",
            "objective": "Check that every fire door closes by itself and is not "
            "propped open.",
            "format": "pdf",
            "content_url": "/static/demo/learn/hoist-sling-checks.pdf",
            "duration_minutes": "2",
            "tags": "fire-safety",
        },
    )
    asker = make_member("Nia Nightshift", "nia@example.com")
    question = posts.ask_question(asker, TITLE, BODY, "fire-safety", microlearn=KEY)
    answer = make_answer(
        question,
        author=make_member("Grace Mensah", "grace@example.com"),
        body=(
            "At night it is the **car park** assembly point, not the garden. The "
            "microlearn shows it at 2:10:\n\n[[ml:fire-safety]]\n\n"
            "And check the doors on your round too: [[ml:fire-doors]]."
        ),
    )
    posts.accept_answer(asker, answer)
    services.update_microlearn(curator, item, {**fields, "version": "2"}, publish=True)
    url = f"/questions/{question.id}/{posts.slugify(question.title)}"
    db.session.remove()
    return url


def test_screens_of_linking_citing_and_content_health(
    cited_thread, open_page, screenshots_dir
):
    """The ask form, a question with its card and cited cards, and the health list.

    Each at phone and desktop width; the question page shows the answer's
    "may be out of date" marker, and the health list lists the answer.
    """
    page = open_page(DESKTOP)
    page.goto("/login")
    log_in(page, "cora@example.com")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        width = size["width"]
        page.goto(f"/questions/ask?microlearn={KEY}")
        expect(page.get_by_text("Your question will be about")).to_be_visible()
        page.screenshot(
            path=str(screenshots_dir / f"ml-ask-{width}.png"), full_page=True
        )

        page.goto(cited_thread)
        expect(page.locator("aside.ml-about")).to_be_visible()
        expect(page.locator(".prose aside.ml-cite")).to_contain_text(
            "Fire safety at night"
        )
        expect(page.locator(".health-marker")).to_contain_text(
            "may be out of date since the microlearn changed (v1 → v2)"
        )
        page.screenshot(
            path=str(screenshots_dir / f"ml-question-{width}.png"), full_page=True
        )

        page.goto("/learn/health")
        expect(page.locator(".health-item")).to_have_count(1)
        page.screenshot(
            path=str(screenshots_dir / f"ml-health-{width}.png"), full_page=True
        )
