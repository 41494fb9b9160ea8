"""The in-process indexer: a daemon thread that drains the outbox, and its wiring.

Each web process runs one thread (started by its first request, so that a
forking server starts it in every worker and CLI commands start none). It is
woken right after any commit that queued posts and otherwise polls every half
second, for the rows that other processes queued. Several processes may run
one each: the backend's write lock lets one write at a time, the others leave
the rows for the next round.
"""

import logging
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask

from forum.extensions import db
from forum.search.backends import Backend, create_backend

if TYPE_CHECKING:
    from forum.search.services import RelatedCache

POLL_SECONDS = 0.5
# After a failure (say, the database is down) wait longer, up to this.
MAX_BACKOFF_SECONDS = 30.0

log = logging.getLogger(__name__)


class Indexer:
    """Drains the outbox in a daemon thread of this process."""

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        self.app = app
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._starting = threading.Lock()

    @property
    def running(self) -> bool:
        """Tell whether this process's thread is alive."""
        return (
            self._thread is not None
            and self._thread.is_alive()
            and self._pid == os.getpid()
        )

    def start(self) -> None:
        """Start the thread in this process unless it runs already."""
        if self.running:
            return
        with self._starting:
            if self.running:
                return
            self._stopping.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name="search-indexer", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        """Ask the thread to drain the outbox now."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread and wait for it to finish its round."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        """Drain the outbox whenever woken or the poll interval passes."""
        from forum.search.services import drain_outbox

        delay = self.poll_seconds
        while not self._stopping.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stopping.is_set():
                return
            with self.app.app_context():
                try:
                    drain_outbox()
                    delay = self.poll_seconds
                except Exception:
                    delay = min(delay * 2, MAX_BACKOFF_SECONDS)
                    log.exception("Search indexing failed; retrying in %.1f s", delay)
                finally:
                    db.session.remove()


@dataclass
class SearchState:
    """An app's search backend, indexer and cache of related questions."""

    backend: Backend
    indexer: Indexer
    related: "RelatedCache"


def init_app(app: Flask) -> None:
    """Set up search for an app: its backend, the outbox events and the indexer."""
    # Importing the module registers the session events that fill the outbox.
    from forum.search import outbox  # noqa: F401
    from forum.search.services import RelatedCache

    state = SearchState(create_backend(app), Indexer(app), RelatedCache())
    app.extensions["search"] = state
    if app.config["SEARCH_INDEXER_THREAD"]:

        @app.before_request
        def start_indexer():
            """Make sure this process's indexer runs."""
            state.indexer.start()
