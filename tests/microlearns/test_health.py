"""Content health: a new version of a microlearn marks the answers to check."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.errors import Conflict, PermissionDenied, ValidationError
from forum.extensions import db
from forum.microlearns import services
from forum.microlearns.models import AnswerHealth
from forum.posts import services as posts

from .conftest import microlearn_data

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
OPEN_TEXT = "may be out of date since the microlearn changed (v1 → v2)"
OBSOLETE_TEXT = "this answer describes an earlier version of the microlearn"


def publish(curator, item, version, **changes):
    """Publish a new version of a microlearn through the service."""
    fields = {
        "key": item.key,
        "title": item.title,
        "objective": item.objective,
        "content_url": item.content_url,
        "version": version,
    }
    data = microlearn_data(**{**fields, **changes})
    return services.update_microlearn(curator, item, data, publish=True)


def marks(**where) -> list[AnswerHealth]:
    """Return the content-health marks, oldest first."""
    stmt = select(AnswerHealth).order_by(AnswerHealth.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(AnswerHealth, name) == value)
    return list(db.session.scalars(stmt))


@pytest.fixture
def thread(make_microlearn, ask_about, make_answer, make_user):
    """Return a microlearn (v1) and a question about it with three answers.

    The asker accepted a low-scored answer; another answer has the top score.
    """
    item = make_microlearn(key="fire-safety", version="1")
    question = ask_about(item, now=T0)
    accepted = make_answer(question, now=T0 + timedelta(hours=1))
    top = make_answer(question, now=T0 + timedelta(hours=2))
    other = make_answer(question, now=T0 + timedelta(hours=3))
    posts.accept_answer(question.author, accepted)
    top.score, other.score = 5, 2
    db.session.commit()
    return {
        "item": item,
        "question": question,
        "accepted": accepted,
        "top": top,
        "other": other,
    }


def test_new_version_marks_the_accepted_and_top_answers(
    curator, thread, make_question, make_answer, ask_about
):
    """Publishing marks each linked thread's accepted and top-scored live answers."""
    unlinked = make_question()
    make_answer(unlinked)
    ask_about(thread["item"])  # a thread without answers marks nothing
    deleted_best = make_answer(thread["question"])
    deleted_best.score = 50
    db.session.commit()
    posts.delete_post(deleted_best.author, deleted_best)

    publish(curator, thread["item"], "2")

    found = marks()
    assert {m.answer_id for m in found} == {thread["accepted"].id, thread["top"].id}
    assert {(m.from_version, m.to_version) for m in found} == {("1", "2")}
    assert all(m.is_open for m in found)
    assert services.open_health_count(thread["item"]) == 2


def test_one_answer_both_accepted_and_top_is_marked_once(
    curator, make_microlearn, ask_about, make_answer
):
    """The accepted answer that also has the top score gets one mark."""
    item = make_microlearn(version="1")
    question = ask_about(item)
    answer = make_answer(question)
    posts.accept_answer(question.author, answer)
    publish(curator, item, "2")
    assert [m.answer_id for m in marks()] == [answer.id]


@pytest.mark.parametrize("version", ["1", ""])
def test_publishing_needs_a_new_version(curator, thread, version):
    """Publishing without changing the version is refused at the version field."""
    with pytest.raises(ValidationError) as error:
        publish(curator, thread["item"], version, title="Fire safety, revised")
    assert "version" in error.value.errors
    assert marks() == []


def test_correcting_the_version_quietly_marks_nothing(curator, thread):
    """An edit not published as a new version marks no answers."""
    data = microlearn_data(
        key="fire-safety",
        title=thread["item"].title,
        objective=thread["item"].objective,
        content_url=thread["item"].content_url,
        version="1.0",
    )
    services.update_microlearn(curator, thread["item"], data)
    assert marks() == []


def test_a_later_version_extends_an_open_mark(curator, thread):
    """An answer still waiting for a check keeps one mark, reaching the new version."""
    publish(curator, thread["item"], "2")
    publish(curator, thread["item"], "3")
    assert {(m.from_version, m.to_version) for m in marks()} == {("1", "3")}
    assert len(marks()) == 2


def test_only_curators_publish(make_user, thread):
    """A member who does not curate cannot publish a new version."""
    with pytest.raises(PermissionDenied):
        publish(make_user(reputation=100_000), thread["item"], "2")


def test_who_may_check_an_answer(curator, thread, make_user):
    """Curators, the answer's author and members who may edit any post check it."""
    publish(curator, thread["item"], "2")
    mark = marks(answer_id=thread["top"].id)[0]
    with pytest.raises(PermissionDenied):
        services.verify_answer(make_user(), mark)
    services.verify_answer(thread["top"].author, mark)
    assert mark.resolution == "verified"
    with pytest.raises(Conflict):
        services.mark_answer_obsolete(make_user(reputation=100_000), mark)


def test_an_obsolete_answer_gets_no_new_mark_until_edited(curator, thread):
    """An answer marked obsolete stays obsolete through new versions until edited."""
    publish(curator, thread["item"], "2")
    mark = marks(answer_id=thread["top"].id)[0]
    services.mark_answer_obsolete(curator, mark)
    publish(curator, thread["item"], "3")
    assert len(marks(answer_id=thread["top"].id)) == 1
    posts.edit_post(
        thread["top"].author,
        thread["top"],
        body=thread["top"].body_markdown + " Updated for version 3.",
    )
    shown = services.health_marks_on(thread["question"], [thread["top"]])
    assert shown == {}
    publish(curator, thread["item"], "4")
    latest = marks(answer_id=thread["top"].id)[-1]
    assert (latest.from_version, latest.to_version, latest.is_open) == ("3", "4", True)


def test_marks_of_an_unlinked_question_do_not_show(curator, thread):
    """A question that is no longer about the microlearn shows none of its marks."""
    publish(curator, thread["item"], "2")
    question = thread["question"]
    posts.edit_post(
        question.author,
        question,
        body=question.body_markdown,
        title=question.title,
        tags="onboarding",
        microlearn="",
    )
    answers = [thread["accepted"], thread["top"]]
    assert services.health_marks_on(question, answers) == {}
    assert services.health_list() == []


def test_import_with_a_new_version_marks_answers(thread):
    """An LMS import that changes an item's version marks its answers too."""
    row = microlearn_data(
        key="fire-safety",
        title=thread["item"].title,
        objective=thread["item"].objective,
        content_url=thread["item"].content_url,
        version="2",
    )
    report = services.import_microlearns(None, [services.ImportRow(2, row)])
    assert report.updated == ["fire-safety"] and report.marked == 2
    assert len(marks()) == 2


def _page(client, question) -> str:
    """Return the question page as text."""
    response = client.get(f"/posts/{question.id}", follow_redirects=True)
    return response.get_data(as_text=True)


def test_the_whole_loop(client, auth, curator, thread, make_user):
    """Publish, see the markers and the list, then verify, edit and mark obsolete.

    A curator publishes v2 through the edit form; the accepted and top answers
    show the marker and enter /learn/health. A member who may edit any post
    verifies one (its marker goes), marks another obsolete after a third answer
    is checked by editing it (resolved as edited by the editor).
    """
    item, question = thread["item"], thread["question"]
    accepted, top = thread["accepted"], thread["top"]
    auth.login(curator)
    form = client.get("/learn/fire-safety/edit").get_data(as_text=True)
    assert "Publish as a new version" in form
    fields = {
        "title": item.title,
        "objective": item.objective,
        "format": item.format,
        "content_url": item.content_url,
        "duration_minutes": "4",
        "tags": "moving-handling",
        "version": "2",
    }
    refused = client.post(
        "/learn/fire-safety/edit", data={**fields, "version": "1", "publish": "y"}
    )
    assert refused.status_code == 422
    response = client.post(
        "/learn/fire-safety/edit",
        data={**fields, "publish": "y"},
        follow_redirects=True,
    )
    assert "v2 is published. 2 answers about it are marked" in response.get_data(
        as_text=True
    )
    auth.logout()

    page = _page(client, question)
    assert page.count(OPEN_TEXT) == 2
    assert f'id="answer-{thread["other"].id}"' in page
    assert "/learn/health/" not in page  # visitors get the marker, not the buttons

    editor = make_user(reputation=100_000)
    auth.login(editor)
    health = client.get("/learn/health").get_data(as_text=True)
    assert health.count('class="health-item"') == 2
    assert question.title in health
    [accepted_mark] = marks(answer_id=accepted.id)
    [top_mark] = marks(answer_id=top.id)

    client.post(
        f"/learn/health/{accepted_mark.id}/verify", data={"next": "/learn/health"}
    )
    again = client.post(
        f"/learn/health/{accepted_mark.id}/verify", follow_redirects=True
    )
    assert "dealt with this answer already" in again.get_data(as_text=True)
    page = _page(client, question)
    assert page.count(OPEN_TEXT) == 1

    edit = client.post(
        f"/posts/{top.id}/edit",
        data={
            "body": top.body_markdown + " Since v2 the form has a new step.",
            "summary": "Updated for v2",
        },
    )
    assert edit.status_code == 302
    db.session.expire_all()
    top_mark = db.session.get(AnswerHealth, top_mark.id)
    assert (top_mark.resolution, top_mark.resolved_by_id) == ("edited", editor.id)
    assert OPEN_TEXT not in _page(client, question)
    health = client.get("/learn/health").get_data(as_text=True)
    assert 'class="health-item"' not in health
    assert "Still accurate" in health and "Edited" in health  # recently checked

    auth.logout()
    auth.login(curator)
    publish(curator, services.get_microlearn("fire-safety"), "3")
    [newest] = [m for m in marks(answer_id=accepted.id) if m.is_open]
    client.post(f"/learn/health/{newest.id}/obsolete")
    page = _page(client, question)
    assert OBSOLETE_TEXT in page and "(v2; it is now v3)" in page


def test_health_list_is_for_curators_and_editors(client, auth, make_user, thread):
    """Members without the edit privilege cannot open the content health list."""
    auth.login(make_user())
    assert client.get("/learn/health").status_code == 403
    catalogue = client.get("/learn").get_data(as_text=True)
    assert "Content health" not in catalogue
    auth.logout()
    auth.login(make_user(reputation=100_000))
    assert client.get("/learn/health").status_code == 200
    assert "Content health" in client.get("/learn").get_data(as_text=True)


def test_a_member_without_the_privilege_cannot_verify(
    client, auth, curator, thread, make_user
):
    """Verifying someone else's answer without the edit privilege is refused."""
    publish(curator, thread["item"], "2")
    [mark] = marks(answer_id=thread["top"].id)
    auth.login(make_user())
    assert client.post(f"/learn/health/{mark.id}/verify").status_code == 403
    db.session.expire_all()
    assert db.session.get(AnswerHealth, mark.id).is_open
