"""A forgotten password, reset in a real browser through a link sent by mail."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from forum.extensions import db

from .conftest import DESKTOP

NEW_PASSWORD = "a lighthouse in the fog"
RESET_LINK = re.compile(r"https?://\S+/account/reset-password/\S+")
BLOCKING = {"serious", "critical"}


def assert_accessible(page: Page) -> None:
    """Check that axe finds no serious or critical problem on the page."""
    violations = Axe().run(page).response["violations"]
    problems = [v["id"] for v in violations if v["impact"] in BLOCKING]
    assert problems == [], f"axe problems on {page.url}: {problems}"


def test_forgotten_password_journey(
    app, open_page, make_member, smtp_server, screenshots_dir
):
    """A member resets a forgotten password by mail, then logs in with the new one.

    From the login page the member follows "Forgot your password?" and sends their
    email; the test SMTP server receives the message; the member opens its link,
    sets a new password and is logged in; after logging out, the new password
    logs in through the login form. The forgot and reset pages are screenshotted.
    """
    app.config["MAIL_URL"] = smtp_server.url
    member = make_member("Rosa Reset", "rosa@example.com")
    # The live server reads through its own sessions; end this thread's transaction.
    db.session.remove()

    page = open_page(DESKTOP)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(screenshots_dir / "forgot-password-1280.png"))
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account uses that email")).to_be_visible()

    [message] = smtp_server.messages
    assert message["To"] == "rosa@example.com"
    link = RESET_LINK.search(smtp_server.last_text()).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Choose a new password.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(screenshots_dir / "reset-password-1280.png"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your new password is set")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/login")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, Rosa Reset.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_used_reset_link_offers_a_new_one(app, open_page, make_member, smtp_server):
    """Opening a reset link a second time explains why and links to a new request."""
    app.config["MAIL_URL"] = smtp_server.url
    make_member("Rosa Reset", "rosa@example.com")
    db.session.remove()
    page = open_page(DESKTOP)
    page.goto("/account/forgot-password")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account uses that email")).to_be_visible()
    link = RESET_LINK.search(smtp_server.last_text()).group(0)
    page.goto(link)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your new password is set")).to_be_visible()

    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Get a new reset link").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
