"""Fixtures for browser tests: Chromium, a live server, pages and a login helper."""

import gc
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HERE = Path(__file__).parent
SCREENSHOTS = HERE.parent / "screenshots"
PASSWORD = "a quiet harbour at dawn"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            # When Chromium navigates away while the live server's thread is still
            # sending a static file, werkzeug's development server leaves that file
            # unclosed; the warning surfaces at a random later test. It is the test
            # server's, not the app's (gunicorn serves production), so only here
            # is it not an error.
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore::pytest.PytestUnraisableExceptionWarning"
                )
            )


def _unavailable(problem: str):
    """Fail on CI, where Chromium must be present; skip loudly elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}; browser tests cannot run on CI.", pytrace=False)
    pytest.skip(reason=f"{problem}; browser tests skipped (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    """Launch headless Chromium once per run."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} failed to launch ({error.message})")
    expect.set_options(timeout=10_000)
    yield browser
    browser.close()
    playwright.stop()


class _QuietRequestHandler(WSGIRequestHandler):
    """Handle requests without logging a line for each one."""

    def log_request(self, code="-", size="-"):
        """Skip the access log; errors are still logged."""


@pytest.fixture
def live_server(app):
    """Serve the test's app, with CSRF on, from a background thread."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler
    )
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="live-server",
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    # Collect what the server's threads left now, while this browser test's
    # warning filters apply, not during whichever test runs next.
    gc.collect()
    server.server_close()


@pytest.fixture
def open_page(browser, live_server):
    """Return a factory that opens a page in a fresh browser context."""
    contexts = []

    def factory(size=DESKTOP, javascript=True) -> Page:
        """Open a page of the given viewport size in its own context."""
        context = browser.new_context(
            base_url=live_server,
            viewport=size,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots_dir():
    """Return tests/screenshots/, creating it; its files outlive the run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


class BrowserAuth:
    """Register and log in through the real forms of a page."""

    def register(self, page: Page, display_name: str, email: str) -> None:
        """Create an account through the register form."""
        page.goto("/register")
        page.get_by_label("Display name").fill(display_name)
        page.get_by_label("Work email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        welcome = page.get_by_text(f"Welcome to Knowhow, {display_name}!")
        expect(welcome).to_be_visible()

    def log_in(self, page: Page, email: str) -> None:
        """Log in through the login form."""
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def browser_auth():
    """Return a helper that registers and logs in through a page's forms."""
    return BrowserAuth()


@pytest.fixture
def make_member(make_user):
    """Return a factory that registers members whose password the helper knows."""

    def factory(display_name=None, email=None):
        """Register a member in the test thread's database session."""
        return make_user(display_name=display_name, email=email, password=PASSWORD)

    return factory


@dataclass(frozen=True)
class SeededThread:
    """Plain facts about a seeded question thread, safe to use across threads."""

    asker_email: str
    asker_url: str
    question_url: str
    title: str
    answer_text: str
    comment_text: str


@pytest.fixture
def seeded_thread(app, make_member, make_question, make_answer):
    """Seed a question with markdown, tags, an answer and comments on both."""
    from forum.extensions import db
    from forum.posts import services

    asker = make_member("Amara Nwosu", "amara@example.com")
    answerer = make_member("Jonas Berg", "jonas@example.com")
    question = make_question(
        author=asker,
        title="How do I log a near miss on the night shift?",
        body=(
            "On nights the **incident form** will not open on the ward laptop.\n\n"
            "I tried:\n\n"
            "1. Restarting the laptop\n"
            "2. Opening `https://intranet.example.com/safety/incidents/new`\n\n"
            "See https://intranet.example.com/safety/incidents/reporting-guidance-"
            "for-night-shifts-and-weekends-when-the-form-is-down for the policy."
        ),
        tags="incident-reporting night-shift",
    )
    answer_text = "Use the paper form in the red folder at the nurses' station."
    answer = make_answer(
        question,
        author=answerer,
        body=f"{answer_text}\n\nThen type it in on your next day shift.",
    )
    comment_text = "Which laptop is it, the one by the medicine trolley?"
    # Commenting on others' posts takes 50 reputation ("comment everywhere").
    answerer.reputation = 50
    services.add_comment(answerer, question, comment_text)
    services.add_comment(asker, answer, "Thanks, I found the red folder.")
    seeded = SeededThread(
        asker_email=asker.email,
        asker_url=f"/users/{asker.id}",
        question_url=f"/questions/{question.id}/{services.slugify(question.title)}",
        title=question.title,
        answer_text=answer_text,
        comment_text=comment_text,
    )
    # The live server reads through its own sessions; end this thread's transaction.
    db.session.remove()
    return seeded
