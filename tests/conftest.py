"""Fixtures: a fresh database per test, a client, factories and a login helper."""

import itertools
import os

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import event, text

from forum import create_app
from forum.extensions import db

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery"


def _base_config(database_url: str) -> dict:
    """Return the configuration every test app shares."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        # Still scrypt, at a cost that keeps hundreds of registrations quick.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


class IsolatedClient(FlaskClient):
    """A test client whose requests share nothing through ``g``.

    The app fixture keeps an app context pushed so tests can call services, and a
    request reuses that context; without this, one client's logged-in user (cached
    in ``g`` by Flask-Login) would leak into another client's requests.
    """

    def open(self, *args, **kwargs):
        """Run a request with a clean ``g`` and leave none of it behind."""
        _clear_g()
        try:
            return super().open(*args, **kwargs)
        finally:
            _clear_g()


def _clear_g() -> None:
    """Forget everything cached in ``g`` of the current app context, if any."""
    try:
        for name in list(g):
            g.pop(name, None)
    except RuntimeError:
        pass


@pytest.fixture(scope="session")
def _pg_schema():
    """Create the schema once per run on PostgreSQL."""
    if not PG_URL:
        yield None
        return
    app = create_app(_base_config(PG_URL))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(tmp_path, _pg_schema):
    """Return a factory that builds an app on this test's empty database."""
    apps = []

    def factory(**overrides):
        """Create an app with test settings plus overrides."""
        url = PG_URL or f"sqlite:///{tmp_path / 'test.db'}"
        # Mail saved without a server stays out of the real instance folder.
        # Mail and the search index stay in the test's folder, never in instance/.
        config = {
            **_base_config(url),
            "MAIL_DIR": str(tmp_path / "mail"),
            "SEARCH_INDEX_DIR": str(tmp_path / "search"),
            **overrides,
        }
        app = create_app(config)
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """Create the app on a fresh database, inside an app context."""
    app = make_app()
    with app.app_context():
        if PG_URL:
            _truncate_all()
        else:
            db.create_all()
        yield app
        db.session.remove()
        if PG_URL:
            _truncate_all()


def _truncate_all() -> None:
    """Empty every table on PostgreSQL so each test starts clean.

    DELETE on a few small tables costs milliseconds where TRUNCATE of every table
    costs a quarter of a second, twice per test; sequences restart so ids do too.
    """
    db.session.remove()
    tables = reversed(db.metadata.sorted_tables)  # children before parents
    statements = [f'DELETE FROM "{table.name}"' for table in tables]
    with db.engine.begin() as connection:
        sequences = connection.scalars(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
        statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        connection.exec_driver_sql("; ".join(statements))


@pytest.fixture
def client(app):
    """Return a test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's CLI commands."""
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_user(app):
    """Return a factory that registers members."""
    from forum.accounts import services
    from forum.accounts.models import User

    def factory(
        display_name=None, email=None, password=PASSWORD, role="member", reputation=0
    ) -> User:
        """Register a member with the given traits."""
        n = next(_counter)
        user = services.register_user(
            display_name or f"Member {n}",
            email or f"member{n}@example.com",
            password,
            role=role,
        )
        if reputation:
            user.reputation = reputation
            db.session.commit()
        return user

    return factory


@pytest.fixture
def make_question(make_user):
    """Return a factory that asks questions."""
    from forum.posts import services

    def factory(author=None, title=None, body=None, tags="onboarding", now=None):
        """Ask a question with valid defaults, in tags the site already has."""
        n = next(_counter)
        _ensure_tags(tags)
        return services.ask_question(
            author or make_user(),
            title or f"How do I finish onboarding task number {n}?",
            body or f"I am stuck on step {n} of the onboarding checklist. What next?",
            tags,
            now=now,
        )

    return factory


def _ensure_tags(tags) -> None:
    """Create the valid tags that do not exist yet, as a site's tag list would hold.

    Creating a tag is a privilege (``create_tags``), so questions by new members
    use existing tags; tests of that rule ask through the service directly.
    """
    from sqlalchemy import select

    from forum.posts import services
    from forum.posts.models import Tag

    for name in services.parse_tags(tags):
        valid = len(name) <= services.TAG_MAX and services.TAG_RE.match(name)
        if valid and db.session.scalar(select(Tag.id).where(Tag.name == name)) is None:
            db.session.add(Tag(name=name))
    db.session.commit()


@pytest.fixture
def make_tags(app):
    """Return a function that adds tags to the site's tag list, as if in use before."""
    return _ensure_tags


@pytest.fixture
def make_answer(make_user):
    """Return a factory that answers questions."""
    from forum.posts import services

    def factory(question, author=None, body=None, now=None):
        """Answer a question with a valid default body."""
        return services.post_answer(
            author or make_user(),
            question,
            body or "Ask your line manager; they can tick it off in the HR portal.",
            now=now,
        )

    return factory


class AuthActions:
    """Log a test client in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password=PASSWORD, remember=False):
        """Log in through the login form."""
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self):
        """Log out through the logout button."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    """Return a helper that logs the test client in and out."""
    return AuthActions(client)


class StatementCounter:
    """Count the SQL statements an engine executes."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        """Return how many statements ran."""
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Return a context manager that counts SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        """Count statements while the block runs."""
        counter = StatementCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting


class SMTPMailbox:
    """What a test SMTP server received, as parsed messages."""

    def __init__(self, url: str):
        self.url = url
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        """Keep each message the server accepts (called by aiosmtpd)."""
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"

    def last_text(self) -> str:
        """Return the plain-text part of the last message received."""
        return self.messages[-1].get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_server():
    """Run a real SMTP server on a free local port; its url goes in MAIL_URL."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = SMTPMailbox(f"smtp://127.0.0.1:{port}")
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox
    controller.stop()
