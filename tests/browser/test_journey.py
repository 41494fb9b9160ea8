"""Journeys through the forum in a real browser: ask, answer, accept, drafts, layout."""

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

QUESTION_TITLE = "How do I book a fire-safety refresher course?"
QUESTION_BODY = (
    "My **fire-safety** certificate runs out next month.\n\n"
    "- I looked in the `Learning Hub` catalogue\n"
    "- I asked at reception\n\n"
    "Where do I book the refresher?"
)
ANSWER_BODY = (
    "Book it in the Learning Hub under *Mandatory training*; "
    "the next sessions are on Tuesdays."
)


def test_ask_answer_accept_journey(open_page, browser_auth, screenshots_dir, make_tags):
    """A asks a question, B answers it, A accepts the answer and sees it marked.

    At desktop width A registers and asks through /questions/ask with markdown and
    tags; B registers in a second context and answers; A reloads and accepts. Then
    full-page screenshots of home, question and ask are taken at phone and desktop
    widths.
    """
    # The site has these tags already: a newcomer may not create tags.
    make_tags("fire-safety training")
    asker = open_page(DESKTOP)
    browser_auth.register(asker, "Alice Asker", "alice@example.com")
    asker.goto("/questions/ask")
    asker.get_by_label("Title").fill(QUESTION_TITLE)
    asker.get_by_label("Details").fill(QUESTION_BODY)
    asker.get_by_label("Tags").fill("fire-safety training")
    asker.get_by_role("button", name="Post your question").click()

    expect(asker.get_by_text("Your question is posted.")).to_be_visible()
    expect(asker.get_by_role("heading", level=1)).to_have_text(QUESTION_TITLE)
    question = asker.locator(".post-question")
    expect(question.locator("strong")).to_have_text("fire-safety")
    expect(question.locator("code")).to_have_text("Learning Hub")
    expect(question.locator("li", has_text="I asked at reception")).to_be_visible()
    for tag in ("fire-safety", "training"):
        expect(question.get_by_role("link", name=tag, exact=True)).to_be_visible()
    question_url = asker.url

    answerer = open_page(DESKTOP)
    browser_auth.register(answerer, "Bob Answerer", "bob@example.com")
    answerer.goto(question_url)
    answerer.get_by_role("textbox", name="Your answer").fill(ANSWER_BODY)
    answerer.get_by_role("button", name="Post your answer").click()
    expect(answerer.get_by_text("Your answer is posted.")).to_be_visible()
    answer = answerer.locator("article.post-answer")
    expect(answer).to_have_count(1)
    expect(answer.locator("em")).to_have_text("Mandatory training")

    asker.reload()
    answer = asker.get_by_role("article", name="Answer by Bob Answerer")
    answer.get_by_role("button", name="Accept this answer").click()
    expect(asker.get_by_text("Answer accepted.")).to_be_visible()
    answer = asker.get_by_role("article", name="Answer by Bob Answerer, accepted")
    expect(answer).to_have_class(re.compile(r"\bis-accepted\b"))
    expect(answer.locator(".accepted-badge")).to_have_text(re.compile("Accepted"))
    expect(answer.get_by_role("button", name="Unaccept this answer")).to_be_visible()

    for size in (PHONE, DESKTOP):
        asker.set_viewport_size(size)
        for name, url in (
            ("home", "/"),
            ("question", question_url),
            ("ask", "/questions/ask"),
        ):
            asker.goto(url)
            path = screenshots_dir / f"{name}-{size['width']}.png"
            asker.screenshot(path=str(path), full_page=True)


def test_unsent_draft_survives_reload(open_page, browser_auth, make_member, make_tags):
    """Unsent text in the ask form comes back from localStorage, until it is posted.

    Typed text is saved under ``knowhow-draft:ask:<field>`` and restored when the
    form loads empty; once the question is posted the draft is dropped.
    """
    make_tags("rota")
    member = make_member("Dana Drafter", "dana@example.com")
    page = open_page(DESKTOP)
    browser_auth.log_in(page, member.email)
    page.goto("/questions/ask")
    draft = "Half a thought about the weekend rota that I have not sent yet."
    page.get_by_label("Details").fill(draft)
    page.wait_for_function(
        "text => localStorage.getItem('knowhow-draft:ask:body') === text", arg=draft
    )

    # A fresh navigation, not page.reload(): Chromium restores form fields itself on
    # reload, which would hide a broken draft script.
    page.goto("/questions/ask")
    expect(page.get_by_label("Details")).to_have_value(draft)

    page.get_by_label("Title").fill("Who signs off swaps on the weekend rota?")
    page.get_by_label("Tags").fill("rota")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question is posted.")).to_be_visible()
    # The question page drops the draft from a deferred script: wait for it, or
    # the next navigation can start before the script has run.
    page.wait_for_function("localStorage.getItem('knowhow-draft:ask:body') === null")
    page.goto("/questions/ask")
    expect(page.get_by_label("Details")).to_have_value("")


def test_question_readable_without_javascript(open_page, seeded_thread):
    """With JavaScript off, the question page shows the question, answers, comments."""
    page = open_page(DESKTOP, javascript=False)
    page.goto(seeded_thread.question_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(seeded_thread.title)
    expect(page.locator(".post-question strong")).to_have_text("incident form")
    expect(page.get_by_role("heading", name="1 Answer")).to_be_visible()
    expect(page.get_by_text(seeded_thread.answer_text)).to_be_visible()
    expect(page.get_by_text(seeded_thread.comment_text)).to_be_visible()
    expect(page.get_by_role("link", name="Log in to answer")).to_be_visible()


def test_no_horizontal_overflow_on_phone(open_page, browser_auth, seeded_thread):
    """At 360px wide the home, question and ask pages do not scroll sideways."""
    page = open_page(PHONE)
    browser_auth.log_in(page, seeded_thread.asker_email)
    too_wide = []
    for url in ("/", seeded_thread.question_url, "/questions/ask"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{url} is {width}px wide")
    assert not too_wide, f"Pages scroll sideways at {PHONE['width']}px: {too_wide}"
