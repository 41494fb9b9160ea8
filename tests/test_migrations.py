"""Migrations: upgrading an empty database yields exactly the models' schema."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from forum.extensions import db

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")


@pytest.fixture
def empty_database_url(tmp_path):
    """Return the URL of a brand-new empty database, dropped afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"knowhow_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_URL.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_then_check_finds_no_difference(make_app, empty_database_url):
    """`flask db upgrade` on an empty database leaves nothing for `flask db check`."""
    app = make_app(DATABASE_URL=empty_database_url)
    runner = app.test_cli_runner()
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_base_and_back(make_app, empty_database_url):
    """Every migration can be undone and redone."""
    app = make_app(DATABASE_URL=empty_database_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with app.app_context():
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "check"]).exit_code == 0
