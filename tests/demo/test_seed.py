"""``flask seed-demo``: the demo community, loaded once and usable at once."""

from markupsafe import escape
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.demo import data
from forum.extensions import db, utcnow
from forum.posts.models import ANSWER, QUESTION, Comment, Post, Revision, Tag

DEMO_PASSWORD = "demo-pass-123"


def seed(runner, *options, password=DEMO_PASSWORD):
    """Run flask seed-demo with the demo password and return its result."""
    result = runner.invoke(args=["seed-demo", "--password", password, *options])
    assert result.exception is None, result.output
    assert result.exit_code == 0
    return result


def count(model, *where) -> int:
    """Count the rows of a model that match the conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def words(text: str) -> list[str]:
    """Split text into words, ignoring how it is wrapped."""
    return text.split()


def counts() -> dict[str, int]:
    """Count every kind of row the demo creates."""
    return {
        "users": count(User),
        "questions": count(Post, Post.type == QUESTION),
        "answers": count(Post, Post.type == ANSWER),
        "comments": count(Comment),
        "revisions": count(Revision),
        "tags": count(Tag),
        "tags with excerpts": count(Tag, Tag.excerpt != ""),
        "accepted": count(Post, Post.accepted_answer_id.is_not(None)),
    }


def test_demo_data_is_valid():
    """The demo data passes its own checks."""
    assert data.validate() == []


def test_seed_loads_the_community(runner):
    """Seeding loads users, questions, answers, comments, acceptances and tags."""
    result = seed(runner)
    loaded = counts()
    assert loaded["users"] == len(data.USERS) >= 12
    assert loaded["questions"] == len(data.QUESTIONS) >= 40
    assert loaded["answers"] == sum(len(q["answers"]) for q in data.QUESTIONS) > 0
    assert loaded["comments"] == sum(
        len(q["comments"]) + sum(len(a["comments"]) for a in q["answers"])
        for q in data.QUESTIONS
    )
    assert loaded["accepted"] == sum(1 for q in data.QUESTIONS if q["accepted"]) > 0
    assert loaded["tags"] >= len(data.TAGS)
    assert loaded["tags with excerpts"] == len(data.TAGS)
    assert f"{len(data.USERS)} members and {len(data.QUESTIONS)} questions" in (
        result.output
    )


def test_seed_matches_the_data(runner):
    """Each demo thread has its author, tags, edits and accepted answer."""
    seed(runner)
    users = {u["key"]: u for u in data.USERS}
    for spec in data.QUESTIONS:
        question = db.session.scalar(
            select(Post).where(Post.type == QUESTION, Post.title == spec["title"])
        )
        assert question.author.email == users[spec["author"]]["email"]
        assert [tag.name for tag in question.tags] == sorted(spec["tags"])
        assert question.answer_count == len(spec["answers"])
        assert question.view_count == spec["views"]
        expected_body = spec["edits"][-1]["body"] if spec["edits"] else spec["body"]
        assert words(question.body_markdown) == words(expected_body)
        assert count(Revision, Revision.post_id == question.id) == 1 + len(
            spec["edits"]
        )
        if spec["accepted"]:
            accepted = db.session.get(Post, question.accepted_answer_id)
            [answer_spec] = [a for a in spec["answers"] if a["key"] == spec["accepted"]]
            assert words(accepted.body_markdown) == words(answer_spec["body"])
        else:
            assert question.accepted_answer_id is None


def test_seed_puts_nothing_in_the_future(runner):
    """Every demo post, comment and activity time lies in the past."""
    seed(runner)
    now = utcnow()
    assert not count(Post, Post.created_at > now)
    assert not count(Post, Post.last_activity_at > now)
    assert not count(Comment, Comment.created_at > now)
    assert not count(Revision, Revision.created_at > now)
    assert not count(User, User.created_at > now)


def test_second_run_changes_nothing(runner):
    """Running the seed again adds nothing and says the demo is already loaded."""
    seed(runner)
    before = counts()
    result = seed(runner)
    assert counts() == before
    assert "already loaded" in result.output


def test_if_empty_does_nothing_when_members_exist(runner, make_user):
    """--if-empty leaves a database that already has members alone."""
    make_user()
    result = seed(runner, "--if-empty")
    assert counts()["users"] == 1
    assert counts()["questions"] == 0
    assert "already has members" in result.output


def test_if_empty_loads_an_empty_database(runner):
    """--if-empty loads the demo into a database without members."""
    seed(runner, "--if-empty")
    assert counts()["users"] == len(data.USERS)
    assert counts()["questions"] == len(data.QUESTIONS)


def test_demo_passwords_are_hashed_and_work(runner, client):
    """Demo passwords are stored hashed; a demo member logs in with the given one."""
    seed(runner)
    hashes = db.session.scalars(select(User.password_hash)).all()
    assert len(hashes) == len(data.USERS)
    for stored in hashes:
        assert DEMO_PASSWORD not in stored
        assert stored.startswith("scrypt:")
    assert len(set(hashes)) == len(hashes)

    email = data.USERS[3]["email"]
    wrong = client.post("/login", data={"email": email, "password": "not-the-one-1"})
    assert wrong.status_code == 422
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert str(escape(f"Welcome back, {data.USERS[3]['display_name']}")) in page


def test_demo_has_varied_activity(runner):
    """The demo has unanswered, answered and accepted questions, and lurkers."""
    seed(runner)
    questions = db.session.scalars(select(Post).where(Post.type == QUESTION)).all()
    assert any(q.answer_count == 0 for q in questions)
    assert any(q.answer_count > 0 and q.accepted_answer_id is None for q in questions)
    assert any(q.accepted_answer_id is not None for q in questions)
    assert len({q.answer_count for q in questions}) >= 3
    assert len({q.view_count for q in questions}) >= 10
    assert len({q.created_at.date() for q in questions}) >= 20

    authors = select(Post.author_id).union(select(Comment.author_id))
    lurkers = count(User, User.id.not_in(authors))
    assert lurkers >= 2
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"member", "moderator", "admin"}


def test_home_lists_demo_questions_after_seeding(runner, client):
    """After seeding, the home page lists the newest demo questions."""
    seed(runner)
    newest = min(data.QUESTIONS, key=lambda q: q["days_ago"])
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert str(escape(newest["title"])) in page
    assert f"{len(data.QUESTIONS)} questions" in page


NEW_PASSWORD = "fresh-demo-pass-456"


def logged_in_as(client, name: str) -> bool:
    """Tell whether the client's session belongs to the named member."""
    page = client.get("/").get_data(as_text=True)
    return str(escape(f"Welcome back, {name}")) in page


def test_password_resets_the_demo_accounts(runner, client, auth, make_user):
    """--password on a loaded demo sets every demo account's password and logs out."""
    seed(runner)
    outsider = make_user(email="outsider@example.com")
    member = data.USERS[3]
    assert auth.login(member["email"], DEMO_PASSWORD).status_code == 302
    assert logged_in_as(client, member["display_name"])

    result = seed(runner, password=NEW_PASSWORD)

    assert f"new password for the {len(data.USERS)} demo members" in result.output
    assert f"with the password: {NEW_PASSWORD}" in result.output
    assert "already loaded" in result.output
    assert not logged_in_as(client, member["display_name"])
    assert auth.login(member["email"], DEMO_PASSWORD).status_code == 422
    assert auth.login(member["email"], NEW_PASSWORD).status_code == 302
    assert logged_in_as(client, member["display_name"])
    db.session.expire_all()
    assert db.session.get(User, outsider.id).check_password("correct horse battery")
    assert counts()["users"] == len(data.USERS) + 1


def test_password_with_if_empty_resets_without_loading(runner, auth, make_user):
    """--if-empty --password on a database with members only resets demo passwords."""
    seed(runner)
    before = counts()
    result = seed(runner, "--if-empty", password=NEW_PASSWORD)
    assert counts() == before
    assert f"new password for the {len(data.USERS)} demo members" in result.output
    assert auth.login(data.USERS[0]["email"], NEW_PASSWORD).status_code == 302


def test_if_empty_without_password_keeps_the_passwords(runner, client, auth):
    """seed-demo --if-empty leaves demo passwords and sessions alone, with a hint."""
    seed(runner)
    member = data.USERS[3]
    auth.login(member["email"], DEMO_PASSWORD)
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has members" in result.output
    assert "seed-demo --password" in result.output
    assert logged_in_as(client, member["display_name"])


def test_environment_password_does_not_reset(runner, client, auth):
    """FORUM_DEMO_PASSWORD alone does not reset the stored demo passwords."""
    seed(runner)
    member = data.USERS[3]
    auth.login(member["email"], DEMO_PASSWORD)
    result = runner.invoke(
        args=["seed-demo"], env={"FORUM_DEMO_PASSWORD": NEW_PASSWORD}
    )
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert logged_in_as(client, member["display_name"])
    assert auth.login(member["email"], NEW_PASSWORD).status_code == 422


def test_weak_password_is_refused_and_changes_nothing(runner, auth):
    """A weak --password is refused with the reason; the old password still works."""
    seed(runner)
    result = runner.invoke(args=["seed-demo", "--password", "password"])
    assert result.exit_code != 0
    assert "too common" in result.output
    assert auth.login(data.USERS[3]["email"], DEMO_PASSWORD).status_code == 302
