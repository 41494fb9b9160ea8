"""API: members, their reputation ledger, and votes as JSON."""

from datetime import UTC, datetime, timedelta

import pytest

from forum.extensions import db
from forum.posts import services as posts
from forum.reputation import services
from forum.reputation.models import Vote

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def answer(make_question, make_answer):
    """Return an answer by a member at 1 to a question by another."""
    return make_answer(make_question())


# ---- members ----


def test_user_has_reputation_badges_and_join_time(client, make_user):
    """GET /users/<id> gives id, name, reputation, badge counts and join time."""
    member = make_user(display_name="Ines Duarte", reputation=321)
    member.created_at = T0
    db.session.commit()
    body = client.get(f"/api/v1/users/{member.id}").get_json()
    assert body["id"] == member.id
    assert body["display_name"] == "Ines Duarte"
    assert body["reputation"] == 321
    assert body["badge_counts"] == {"gold": 0, "silver": 0, "bronze": 0}
    assert body["created_at"] == "2025-03-03T12:00:00Z"
    assert body["url"].endswith(f"/users/{member.id}")
    assert "email" not in body


def test_unknown_user_is_a_json_404(client):
    """A member who does not exist is a 404 with a JSON error."""
    response = client.get("/api/v1/users/424242")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_reputation_ledger_is_newest_first_and_paginated(client, make_user, answer):
    """GET /users/<id>/reputation lists ledger rows newest first, 50 a page."""
    for n in range(51):
        services.record_bonus(answer.author, 1, T0 + timedelta(minutes=n))
    db.session.commit()
    services.cast_vote(
        make_user(reputation=15), answer, "up", now=T0 + timedelta(days=1)
    )
    first = client.get(f"/api/v1/users/{answer.author.id}/reputation").get_json()
    assert (first["total"], first["pages"], first["per_page"]) == (52, 2, 50)
    assert first["reputation"] == 1 + 51 + 10
    top = first["items"][0]
    assert (top["amount"], top["reason"], top["post_id"]) == (
        10,
        "answer upvoted",
        answer.id,
    )
    assert top["created_at"] == "2025-03-04T12:00:00Z"
    assert "actor_id" not in top  # votes stay anonymous
    second = client.get(
        f"/api/v1/users/{answer.author.id}/reputation?page=2"
    ).get_json()
    assert [item["created_at"] for item in second["items"]] == [
        "2025-03-03T12:01:00Z",
        "2025-03-03T12:00:00Z",
    ]
    bad = client.get(f"/api/v1/users/{answer.author.id}/reputation?page=0")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_page"


# ---- votes ----


def test_vote_returns_the_new_score_and_vote(client, auth, make_user, answer):
    """POST /posts/<id>/vote with {"direction": "up"} votes; again undoes."""
    auth.login(make_user(reputation=15))
    response = client.post(f"/api/v1/posts/{answer.id}/vote", json={"direction": "up"})
    assert response.status_code == 200
    assert response.get_json() == {"post_id": answer.id, "score": 1, "vote": 1}
    again = client.post(f"/api/v1/posts/{answer.id}/vote", json={"direction": "up"})
    assert again.get_json() == {"post_id": answer.id, "score": 0, "vote": 0}


def test_refused_vote_names_the_missing_privilege(client, auth, make_user, answer):
    """A vote without the privilege is a 403 naming it and the reputation it needs."""
    auth.login(make_user(reputation=15))
    response = client.post(
        f"/api/v1/posts/{answer.id}/vote", json={"direction": "down"}
    )
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "missing_privilege"
    assert error["privilege"] == "vote_down"
    assert error["privilege_label"] == "Vote down"
    assert error["reputation_needed"] == 100
    assert error["reputation"] == 15
    assert "Vote down" in error["message"] and "85 to go" in error["message"]


def test_anonymous_votes_are_refused_in_json(client, answer):
    """Without a session a vote is a 403 saying to log in, not a redirect."""
    response = client.post(f"/api/v1/posts/{answer.id}/vote", json={"direction": "up"})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "missing_privilege" and "Log in" in error["message"]
    assert error["reputation"] is None


def test_bad_votes_get_json_errors(client, auth, make_user, answer):
    """Sideways votes, own posts, missing posts and the daily limit answer in JSON."""
    auth.login(make_user(reputation=15))
    sideways = client.post(
        f"/api/v1/posts/{answer.id}/vote", json={"direction": "left"}
    )
    assert sideways.status_code == 422
    assert client.post("/api/v1/posts/424242/vote", json={}).status_code == 404
    auth.login(answer.author)
    own = client.post(f"/api/v1/posts/{answer.id}/vote", json={"direction": "up"})
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "forbidden"


def test_daily_limit_answers_429_with_retry_after(
    app, client, auth, make_user, make_question
):
    """Past the daily vote limit the API says so with Retry-After."""
    app.config["VOTES_PER_DAY"] = 1
    first, second = make_question(), make_question()
    auth.login(make_user(reputation=15))
    first_vote = client.post(f"/api/v1/posts/{first.id}/vote", json={"direction": "up"})
    assert first_vote.status_code == 200
    refused = client.post(f"/api/v1/posts/{second.id}/vote", json={"direction": "up"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == "rate_limited"


def test_comment_vote_toggles(client, auth, make_user, answer):
    """POST /comments/<id>/vote votes a comment up, and again takes it back."""
    comment = posts.add_comment(answer.author, answer, "Edited to add the room number.")
    auth.login(make_user(reputation=15))
    url = f"/api/v1/comments/{comment.id}/vote"
    assert client.post(url).get_json() == {
        "comment_id": comment.id,
        "score": 1,
        "vote": 1,
    }
    assert client.post(url).get_json() == {
        "comment_id": comment.id,
        "score": 0,
        "vote": 0,
    }


def test_votes_need_the_csrf_token_of_the_session(app, client, auth, make_user, answer):
    """With CSRF on, a vote needs the X-CSRFToken header of the session."""
    member = make_user(reputation=15)
    auth.login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/api/v1/posts/{answer.id}/vote"
    refused = client.post(url, json={"direction": "up"})
    assert refused.status_code == 400
    assert "expired" in refused.get_json()["error"]["message"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
    page = client.get(f"/users/{member.id}").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    counted = client.post(url, json={"direction": "up"}, headers={"X-CSRFToken": token})
    assert counted.status_code == 200 and counted.get_json()["score"] == 1


def test_reads_need_no_csrf_token(app, client, make_user):
    """GET requests of the API work with CSRF on."""
    app.config["WTF_CSRF_ENABLED"] = True
    member = make_user()
    assert client.get(f"/api/v1/users/{member.id}").status_code == 200
