"""Errors in an answer or a comment stay in the thread, in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE

SHORT_ANSWER = "Try the red folder."
SHORT_COMMENT = "Which one?"


def _focused_id(page: Page) -> str:
    """Return the id of the element that has the keyboard focus."""
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def _expect_thread(page: Page, thread) -> None:
    """Check that the question, its answer and its comment are on the page."""
    expect(page.get_by_role("heading", level=1)).to_have_text(thread.title)
    expect(page.get_by_text(thread.answer_text)).to_be_visible()
    expect(page.get_by_text(thread.comment_text)).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_too_short_answer_and_comment_stay_in_the_thread(
    open_page, browser_auth, seeded_thread, javascript
):
    """A too-short answer or comment comes back in the thread, kept and focused.

    The question page is shown again with the error at the form, the typed text
    in the field, and the keyboard focus on that field: with JavaScript and,
    through the field's autofocus, without it.
    """
    page = open_page(DESKTOP, javascript=javascript)
    browser_auth.log_in(page, seeded_thread.asker_email)

    page.goto(seeded_thread.question_url)
    page.get_by_role("textbox", name="Your answer").fill(SHORT_ANSWER)
    page.get_by_role("button", name="Post your answer").click()
    _expect_thread(page, seeded_thread)
    answer_field = page.get_by_role("textbox", name="Your answer")
    expect(answer_field).to_have_value(SHORT_ANSWER)
    expect(answer_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#body-error")).to_have_text(
        "Use at least 30 characters; you have 19."
    )
    assert _focused_id(page) == "body"

    page.goto(seeded_thread.question_url)
    answer = page.locator("article.post-answer")
    answer.get_by_text("Add a comment").click()
    answer.get_by_role("textbox", name="Comment").fill(SHORT_COMMENT)
    answer.get_by_role("button", name="Add comment").click()
    _expect_thread(page, seeded_thread)
    comment_field = page.locator("article.post-answer").get_by_role(
        "textbox", name="Comment"
    )
    expect(comment_field).to_be_visible()
    expect(comment_field).to_have_value(SHORT_COMMENT)
    expect(comment_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Use at least 15 characters; you have 10.")).to_be_visible()
    assert _focused_id(page) == comment_field.get_attribute("id")


def test_an_answer_error_has_no_serious_axe_violations(
    open_page, browser_auth, seeded_thread, screenshots_dir
):
    """The question page with an answer error passes axe at phone and desktop widths.

    Screenshots of that state are saved as thread-answer-error-<width>.png.
    """
    axe = Axe()
    page = open_page(DESKTOP)
    browser_auth.log_in(page, seeded_thread.asker_email)
    problems = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(seeded_thread.question_url)
        page.get_by_role("textbox", name="Your answer").fill(SHORT_ANSWER)
        page.get_by_role("button", name="Post your answer").click()
        expect(page.locator("#body-error")).to_be_visible()
        path = screenshots_dir / f"thread-answer-error-{size['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        problems += [
            f"{size['width']}px: {violation['id']} ({violation['impact']})"
            for violation in axe.run(page).response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
    assert not problems, problems
