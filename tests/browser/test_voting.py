"""Voting in a real browser: in place with JavaScript, by keyboard, and without it."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE


@pytest.fixture
def voter(make_member):
    """Return a member with enough reputation to vote up and down."""
    from forum.extensions import db

    member = make_member("Vera Voter", "vera@example.com")
    member.reputation = 150
    db.session.commit()
    email = member.email
    db.session.remove()
    return email


def _mark_page(page: Page) -> None:
    """Leave a marker in the page's window that a reload would wipe."""
    page.evaluate("window.__notReloaded = true")


def _still_same_page(page: Page) -> bool:
    """Tell whether the marker left by _mark_page is still there."""
    return page.evaluate("window.__notReloaded === true")


def test_voting_with_javascript_updates_in_place(
    open_page, browser_auth, seeded_thread, voter
):
    """Clicking an arrow changes the score and the pressed state without a reload."""
    page = open_page(DESKTOP)
    browser_auth.log_in(page, voter)
    page.goto(seeded_thread.question_url)
    _mark_page(page)
    answer = page.locator("article.post-answer")
    up = answer.get_by_role("button", name="Vote up this answer")
    score = answer.locator(".post-side [data-score]")
    expect(score).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")

    up.click()
    expect(score).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(answer.locator(".post-main > .vote-status")).to_have_text(
        "Voted up. Score 1."
    )

    down = answer.get_by_role("button", name="Vote down this answer")
    down.click()
    expect(score).to_have_text("-1")
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    assert _still_same_page(page)

    # The vote was stored: a fresh load shows it.
    page.goto(seeded_thread.question_url)
    answer = page.locator("article.post-answer")
    expect(answer.locator(".post-side [data-score]")).to_have_text("-1")
    expect(
        answer.get_by_role("button", name="Vote down this answer")
    ).to_have_attribute("aria-pressed", "true")


def test_voting_by_keyboard(open_page, browser_auth, seeded_thread, voter):
    """Tab reaches the vote arrows, which show a focus ring, and Enter votes."""
    page = open_page(DESKTOP)
    browser_auth.log_in(page, voter)
    page.goto(seeded_thread.question_url)
    _mark_page(page)
    up = page.locator(".post-question").get_by_role(
        "button", name="Vote up this question"
    )
    for _ in range(60):
        page.keyboard.press("Tab")
        if up.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the up arrow of the question")
    outline = up.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator(".post-question .post-side [data-score]")).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    assert up.evaluate("el => el === document.activeElement")
    assert _still_same_page(page)


def test_a_refused_vote_is_explained_in_place(open_page, browser_auth, seeded_thread):
    """A member without the privilege reads why, next to the post, without a reload."""
    page = open_page(PHONE)
    browser_auth.log_in(page, seeded_thread.asker_email)
    page.goto(seeded_thread.question_url)
    answer = page.locator("article.post-answer")
    up = answer.get_by_role("button", name="Vote up this answer")
    expect(up).to_be_visible()
    box = up.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    up.click()
    status = answer.locator(".post-main > .vote-status")
    expect(status).to_contain_text("Vote up")
    expect(status).to_contain_text("15 reputation")
    expect(answer.locator(".post-side [data-score]")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")


def test_voting_without_javascript_posts_the_form(
    open_page, browser_auth, seeded_thread, voter
):
    """With JavaScript off the arrow posts a form and the page returns to the post."""
    page = open_page(PHONE, javascript=False)
    browser_auth.log_in(page, voter)
    page.goto(seeded_thread.question_url)
    page.locator("article.post-answer").get_by_role(
        "button", name="Vote up this answer"
    ).click()
    expect(page.get_by_text("You voted this answer up. Score: 1.")).to_be_visible()
    assert "#answer-" in page.url
    expect(page.locator("article.post-answer .post-side [data-score]")).to_have_text(
        "1"
    )


@pytest.mark.parametrize(
    "path", ["/users", "/users?period=all", "/help/privileges", "reputation"]
)
def test_reputation_pages_have_no_serious_axe_violations(
    open_page, browser_auth, seeded_thread, voter, path
):
    """The member list, leaderboard, history and privileges pass axe at both widths."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(DESKTOP)
    browser_auth.log_in(page, voter)
    if path == "reputation":
        # The asker's history, with a vote on their question in it.
        page.goto(seeded_thread.question_url)
        page.get_by_role("button", name="Vote up this question").click()
        expect(page.locator(".post-question .post-side [data-score]")).to_have_text("1")
        path = f"{seeded_thread.asker_url}/reputation"
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(path)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{size['width']}px: {violation['id']}")
        root = "document.documentElement"
        overflow = page.evaluate(f"{root}.scrollWidth > {root}.clientWidth")
        assert not overflow, f"{path} scrolls sideways at {size['width']}px"
    assert problems == []
