"""Freshness without loss: the outbox, the indexer, reindex and check."""

import time

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import Post
from forum.search import services
from forum.search.documents import build_documents as build
from forum.search.models import IndexOutbox
from forum.search.services import check_index, drain_outbox, reindex_all, search_posts


def _queued() -> list[int]:
    """Return the post ids waiting in the outbox, in order."""
    return list(
        db.session.scalars(select(IndexOutbox.post_id).order_by(IndexOutbox.id))
    )


def _backend():
    """Return the app's search backend."""
    from flask import current_app

    return current_app.extensions["search"].backend


def test_a_new_post_is_queued_in_its_own_transaction(make_question):
    """Asking a question writes its outbox row in the same commit."""
    question = make_question()
    assert _queued() == [question.id]


def test_a_rolled_back_change_queues_nothing(make_question, drain):
    """A change that is rolled back leaves no outbox row."""
    question = make_question()
    drain()
    question.title = "A title that is never saved to the database"
    db.session.flush()
    db.session.rollback()
    assert _queued() == []


def test_an_answer_queues_its_question(make_question, make_answer, drain):
    """Answering queues the answer and its question (its answer count changed)."""
    question = make_question()
    drain()
    answer = make_answer(question)
    assert set(_queued()) == {question.id, answer.id}


def test_unindexed_changes_queue_nothing(make_question, drain):
    """A view or a comment count changes nothing search shows."""
    question = make_question()
    drain()
    db.session.execute(
        update(Post)
        .where(Post.id == question.id)
        .values(view_count=Post.view_count + 1)
    )
    db.session.commit()
    assert _queued() == []


def test_score_updates_by_statement_are_queued(make_question, drain, find):
    """Votes update scores with an UPDATE statement: those are queued too."""
    question = make_question(title="How do I reset my laptop password at the office?")
    drain()
    db.session.execute(
        update(Post).where(Post.id == question.id).values(score=Post.score + 5)
    )
    db.session.commit()
    assert _queued() == [question.id]
    assert find("laptop score:5") == [question.id]


def test_bulk_updates_by_id_are_queued_in_chunks(
    make_question, drain, monkeypatch, count_queries
):
    """A bulk UPDATE of many posts by id queues them all, looked up a chunk at a time.

    Vote imports update hundreds of thousands of scores in one statement; one
    IN list that long is more parameters than SQLite takes.
    """
    from forum.search import outbox

    monkeypatch.setattr(outbox, "ID_CHUNK", 2)
    questions = [make_question() for _ in range(5)]
    drain()
    with count_queries() as counter:
        db.session.execute(
            update(Post), [{"id": question.id, "score": 3} for question in questions]
        )
    db.session.commit()
    assert _queued() == sorted(question.id for question in questions)
    lookups = [s for s in counter.statements if s.startswith("SELECT posts.id")]
    assert len(lookups) == 3, lookups


def test_draining_indexes_and_empties_the_outbox(make_question, make_answer, find):
    """After a drain the posts are found and the outbox is empty."""
    question = make_question(title="How do I reset my laptop password at the office?")
    make_answer(question)
    assert find("laptop") == [question.id]
    assert _queued() == []
    assert check_index().clean


def test_draining_twice_changes_nothing(make_question, drain):
    """Indexing is idempotent: the same rows twice give one document each."""
    question = make_question(title="How do I reset my laptop password at the office?")
    with Session(db.engine) as session:
        session.add(IndexOutbox(post_id=question.id))
        session.commit()
    assert drain() == 2
    assert drain() == 0
    assert search_posts("laptop").total == 1
    assert check_index().clean


def test_a_crash_mid_drain_loses_nothing(make_question, monkeypatch):
    """An indexer that dies after some batches is finished by the next drain."""
    questions = [make_question() for _ in range(5)]
    calls = []

    def crash_on_second_batch(session, post_ids, **options):
        """Build documents once, then fail like a process being killed."""
        calls.append(post_ids)
        if len(calls) == 2:
            raise RuntimeError("killed mid-way")
        return build(session, post_ids, **options)

    monkeypatch.setattr(services, "build_documents", crash_on_second_batch)
    with pytest.raises(RuntimeError, match="killed mid-way"):
        drain_outbox(batch_size=2)
    report = check_index()
    assert len(report.missing) == 3
    assert len(_queued()) == 3
    monkeypatch.undo()
    assert drain_outbox() == 3
    assert check_index().clean
    assert search_posts("onboarding").total == len(questions)


def test_a_crash_after_the_index_write_is_redone(make_question, monkeypatch):
    """If the outbox rows survive an index write, the next drain writes again."""
    make_question()
    real_delete = services.delete

    def fail_to_delete(*args):
        """Fail when the drain tries to delete its outbox rows."""
        raise RuntimeError("killed before the rows were deleted")

    monkeypatch.setattr(services, "delete", fail_to_delete)
    with pytest.raises(RuntimeError):
        drain_outbox()
    monkeypatch.setattr(services, "delete", real_delete)
    assert len(_queued()) == 1
    assert drain_outbox() == 1
    assert _queued() == []
    assert check_index().clean
    assert search_posts("onboarding").total == 1


def test_a_held_lock_leaves_the_rows_for_later(make_question):
    """While another writer holds the index, drains skip and keep the outbox."""
    question = make_question()
    with Session(db.engine) as other:
        with _backend().writer(other, timeout=1):
            assert drain_outbox(timeout=0.1) == 0
            assert _queued() == [question.id]
        other.commit()
    assert drain_outbox() == 1
    assert check_index().clean


def test_check_reports_and_fixes_every_difference(make_question, make_user, drain):
    """check finds missing, extra and stale entries; --fix repairs them all."""
    moderator = make_user(role="moderator")
    kept, changed, deleted = (make_question() for _ in range(3))
    drain()
    with Session(db.engine) as session:
        with _backend().writer(session, timeout=5) as writer:
            writer.remove([kept.id])
        session.commit()
    # Changes made behind the outbox's back: its rows are dropped.
    changed.score = 9
    db.session.commit()
    posts.delete_post(moderator, deleted)
    db.session.execute(IndexOutbox.__table__.delete())
    db.session.commit()
    report = check_index()
    assert (report.missing, report.extra, report.stale) == (
        [kept.id],
        [deleted.id],
        [changed.id],
    )
    fixed = check_index(fix=True)
    assert fixed.fixed
    assert check_index().clean


def test_reindex_rebuilds_from_the_database(make_question, make_user, drain):
    """reindex makes the index equal to the database and keeps later changes queued."""
    moderator = make_user(role="moderator")
    first, second = make_question(), make_question()
    posts.delete_post(moderator, second)
    db.session.execute(IndexOutbox.__table__.delete())
    db.session.commit()
    progress = []
    assert reindex_all(on_progress=progress.append) == 2
    assert sum(progress) == 2
    assert check_index().clean
    assert [r.post.id for r in search_posts("onboarding").results] == [first.id]


def test_cli_reindex_and_check(make_question, runner):
    """`search reindex` shows progress; `search check` exits 1 until fixed."""
    make_question()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "1 missing from the index" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 posts" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0
    assert "matches the database" in result.output


def test_cli_check_fix(make_question, runner):
    """`search check --fix` repairs what it reports."""
    make_question()
    result = runner.invoke(args=["search", "check", "--fix"])
    assert result.exit_code == 0
    assert "Fixed every difference" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_a_post_is_findable_within_two_seconds(
    app, make_app, search_config, make_user, make_question
):
    """With the indexer thread on, a new post is found within 2 s of its commit."""
    threaded = make_app(**search_config, SEARCH_INDEXER_THREAD=True)
    indexer = threaded.extensions["search"].indexer
    try:
        with threaded.app_context():
            threaded.test_client().get("/healthz")
            assert indexer.running
            author = make_user()
            saved = time.monotonic()
            question = make_question(
                author,
                "Where do I find the fire drill schedule for March?",
                "The notice board only lists February and I run the rota.",
            )
            while time.monotonic() - saved < 2:
                found = search_posts("drill schedule")
                if found.results:
                    break
                time.sleep(0.05)
            assert [r.post.id for r in found.results] == [question.id]
            assert db.session.scalar(select(func.count()).select_from(IndexOutbox)) == 0
    finally:
        indexer.stop()
    assert not indexer.running
