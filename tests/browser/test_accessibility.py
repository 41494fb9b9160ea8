"""Axe finds no serious or critical accessibility problems on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE

PAGES = ["home", "questions", "question", "ask", "tags", "profile", "login"]
BLOCKING = {"serious", "critical"}


def _url(name: str, thread) -> str:
    """Return the path of a named page for the seeded thread."""
    return {
        "home": "/",
        "questions": "/questions",
        "question": thread.question_url,
        "ask": "/questions/ask",
        "tags": "/tags",
        "profile": thread.asker_url,
        "login": "/login",
    }[name]


def _describe(violation: dict, width: int) -> str:
    """Return a readable entry for an axe violation and its first nodes."""
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    more = len(violation["nodes"]) - len(targets)
    if more > 0:
        targets.append(f"... and {more} more")
    return (
        f"- at {width}px: {violation['id']} ({violation['impact']}): "
        f"{violation['help']}\n"
        f"    {violation['helpUrl']}\n"
        f"    nodes: {'; '.join(targets)}"
    )


@pytest.fixture(scope="module")
def axe():
    """Load axe-core once for the module."""
    return Axe()


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violations(name, axe, open_page, browser_auth, seeded_thread):
    """A page has no axe violation of serious or critical impact, on desktop or phone.

    Every page but the login page is checked logged in as the asker, so the answer,
    comment and accept controls are on the question page.
    """
    page = open_page(DESKTOP)
    if name != "login":
        browser_auth.log_in(page, seeded_thread.asker_email)
    url = _url(name, seeded_thread)
    problems = []
    for size in (DESKTOP, PHONE):
        # Load the page at each width, so scripts that read the width start afresh.
        page.set_viewport_size(size)
        page.goto(url)
        violations = axe.run(page).response["violations"]
        problems += [
            _describe(violation, size["width"])
            for violation in violations
            if violation["impact"] in BLOCKING
        ]
    if problems:
        pytest.fail(
            f"axe found serious or critical problems on {url}:\\n"
            + "\\n".join(problems),
            pytrace=False,
        )
