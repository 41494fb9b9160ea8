"""Fixtures for the search tests: every app-level test runs on both backends.

The PostgreSQL backend needs a PostgreSQL database, so its runs are skipped
(with the reason shown) unless FORUM_TEST_DATABASE_URL points at one, as in CI.
"""

import pytest

from forum.extensions import db
from tests.conftest import PG_URL, _truncate_all

BACKENDS = ("whoosh", "postgres")


@pytest.fixture(params=BACKENDS)
def backend_name(request):
    """Return the name of the search backend under test."""
    if request.param == "postgres" and not PG_URL:
        pytest.skip(
            "The PostgreSQL search backend runs only on PostgreSQL: set "
            "FORUM_TEST_DATABASE_URL (CI does)."
        )
    return request.param


@pytest.fixture
def search_config(backend_name, tmp_path) -> dict:
    """Return the settings that put the backend under test in a test folder."""
    return {
        "SEARCH_BACKEND": backend_name,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
    }


@pytest.fixture
def app(make_app, search_config):
    """Create the app with the backend under test on a fresh database."""
    app = make_app(**search_config)
    with app.app_context():
        if PG_URL:
            _truncate_all()
        else:
            db.create_all()
        yield app
        db.session.remove()
        if PG_URL:
            _truncate_all()


@pytest.fixture
def drain(app):
    """Return a function that indexes everything queued, as the indexer would."""
    from forum.search.services import drain_outbox

    def run() -> int:
        """Drain the outbox and return how many rows were done."""
        return drain_outbox()

    return run


@pytest.fixture
def find(app, drain):
    """Return a function that indexes what is queued and returns matching post ids."""
    from forum.search.services import search_posts

    def run(text: str, viewer=None, **options) -> list[int]:
        """Search after draining the outbox; return the ids of the posts found."""
        drain()
        return [
            result.post.id for result in search_posts(text, viewer, **options).results
        ]

    return run
