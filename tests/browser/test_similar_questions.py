"""Similar questions on the ask page, live with JavaScript and on request without."""

from playwright.sync_api import expect

EXISTING = "How do I reset my laptop password at the office?"


def _index_an_existing_question(make_member, make_question):
    """Ask a question and bring the search index up to date with it."""
    from forum.extensions import db
    from forum.search.services import drain_outbox

    make_question(author=make_member("Pat Early", "pat@example.com"), title=EXISTING)
    drain_outbox()
    # The live server reads through its own sessions; end this thread's transaction.
    db.session.remove()


def test_similar_questions_appear_while_typing(
    open_page, browser_auth, make_member, make_question
):
    """Typing a title lists questions like it in a polite live region."""
    _index_an_existing_question(make_member, make_question)
    make_member("Sam Newer", "sam@example.com")
    page = open_page()
    browser_auth.log_in(page, "sam@example.com")
    page.goto("/questions/ask")
    region = page.locator("[data-similar-results]")
    expect(region).to_have_attribute("aria-live", "polite")
    # With JavaScript the list follows the title, so the button is gone.
    expect(
        page.get_by_role("button", name="Check for similar questions")
    ).to_have_count(0)
    page.get_by_label("Title").press_sequentially("my laptop password expired")
    expect(region.get_by_role("link", name=EXISTING)).to_be_visible()
    page.get_by_label("Title").fill("zzzz qqqq xxxx")
    expect(region).to_contain_text("No similar questions yet")


def test_similar_questions_on_request_without_javascript(
    open_page, browser_auth, make_member, make_question
):
    """Without JavaScript the check button shows the list and keeps every field."""
    _index_an_existing_question(make_member, make_question)
    make_member("Sam Newer", "sam@example.com")
    page = open_page(javascript=False)
    browser_auth.log_in(page, "sam@example.com")
    page.goto("/questions/ask")
    page.get_by_label("Title").fill("My laptop password expired")
    page.get_by_label("Details").fill("It says my password expired at 9am today.")
    page.get_by_role("button", name="Check for similar questions").click()
    similar = page.locator("#similar-questions")
    expect(similar.get_by_role("link", name=EXISTING)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("My laptop password expired")
    expect(page.get_by_label("Details")).to_have_value(
        "It says my password expired at 9am today."
    )
