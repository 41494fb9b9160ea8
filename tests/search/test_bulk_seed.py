"""bench/bulk.py stores what the services store, and search finds the same posts.

One small planned community is written twice in the same database: first one
service call at a time (then the outbox is drained), then, after emptying every
table, in bulk (then the index is rebuilt). Every table must come out the same.
"""

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.badges.services import award_badges
from forum.extensions import db
from forum.search.services import check_index, reindex_all, search_posts
from tests.conftest import PG_URL, _truncate_all

BULK = Path(__file__).resolve().parents[2] / "bench" / "bulk.py"
USERS, QUESTIONS = 6, 14
# Rows the two paths must write alike, column for column (ids included).
EXACT = ("posts", "revisions", "tags", "post_tags", "comments", "reputation_events")
# Random per account (salts, tokens), so different between two writes.
NOT_COMPARED = {("users", "password_hash"), ("users", "session_token")}


@pytest.fixture(scope="module")
def bulk():
    """Return bench/bulk.py as a module."""
    spec = importlib.util.spec_from_file_location("bench_bulk", BULK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def plan(app, bulk) -> list:
    """Return a small planned community: bodies with code, lists and a rare word."""
    pools = bulk.make_pools(QUESTIONS * 4, QUESTIONS * 2)
    return list(bulk.plan_questions(USERS, QUESTIONS, pools, bulk.tag_vocabulary(30)))


def _rows() -> dict[str, list[dict]]:
    """Return every table's rows, in primary key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        statement = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [
            {
                name: value
                for name, value in row.items()
                if (table.name, name) not in NOT_COMPARED
            }
            for row in db.session.execute(statement).mappings()
        ]
    return rows


def _without_ids_and_times(rows: list[dict]) -> list[tuple]:
    """Return rows without ids and times, sorted: for rows made at "now"."""
    return sorted(
        repr(
            sorted(
                (name, value)
                for name, value in row.items()
                if name != "id" and not isinstance(value, datetime)
            )
        )
        for row in rows
    )


def _findings(plan) -> dict:
    """Return what a few searches find, by query."""
    rare = next(question for question in plan if question.rare)
    queries = [
        plan[0].title.split()[0],
        plan[1].title,
        f"[{plan[2].tags[0]}]",
        f"is:answer {plan[3].title.split()[-2]}",
        "hasaccepted:yes",
        "quetzalcoatlus",
        f"{rare.tags[0]} quetzalcoatlus",
        "KeyError",
    ]
    return {
        (text, sort): [
            result.post.id for result in search_posts(text, sort=sort).results
        ]
        for text in queries
        for sort in ("relevance", "newest")
    }


def _empty_database() -> None:
    """Remove every row, so that ids start again from one."""
    db.session.remove()
    if PG_URL:
        _truncate_all()
    else:
        db.drop_all()
        db.create_all()


def test_bulk_seed_stores_what_the_services_store(app, bulk, plan, drain):
    """Posts, revisions, tags, counts, ledger, badges and index come out the same."""
    # The services check privileges; these members may create tags and comment.
    app.config["PRIVILEGE_THRESHOLDS"] = {"create_tags": 1, "comment_everywhere": 1}
    users = bulk.register_users(USERS)
    bulk.write_through_services(plan, users)
    drain()
    through_services, found_after_services = _rows(), _findings(plan)
    assert check_index().clean

    _empty_database()
    users = bulk.register_users(USERS)
    writer = bulk.write_in_bulk(plan, [user.id for user in users], chunk=5)
    award_badges()
    reindex_all()
    in_bulk, found_after_bulk = _rows(), _findings(plan)
    assert check_index().clean

    assert writer.counts["questions"] == QUESTIONS
    assert writer.counts["rare_questions"] == 1
    assert in_bulk["posts"], "nothing was written"
    for name in EXACT:
        assert in_bulk[name] == through_services[name], name
    for name in sorted(set(in_bulk) - set(EXACT)):
        assert _without_ids_and_times(in_bulk[name]) == _without_ids_and_times(
            through_services[name]
        ), name
    assert found_after_bulk == found_after_services
    assert any(found_after_bulk.values())
