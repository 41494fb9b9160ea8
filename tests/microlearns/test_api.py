"""The microlearn read API: list, item, threads, errors and CORS for allowed origins."""

from datetime import UTC, datetime, timedelta

import pytest

from forum.microlearns import services
from forum.posts import services as posts

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
LMS = "https://lms.example.com"


def error_code(response, status: int = 400) -> str:
    """Return the code of a JSON error after checking its status and shape."""
    assert response.status_code == status
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"}
    return error["code"]


def test_list_describes_each_microlearn(client, make_user, make_microlearn):
    """Each listed microlearn has its key, fields, rating and links."""
    item = make_microlearn(
        key="dementia-care-101", tags="dementia", updated_on="2024-03-18", version="2"
    )
    services.rate_microlearn(make_user(), item, 4, "accurate")
    body = client.get("/api/v1/microlearns").get_json()
    assert (body["total"], body["page"], body["pages"]) == (1, 1, 1)
    [listed] = body["items"]
    assert listed["key"] == "dementia-care-101"
    assert listed["objective"] == item.objective
    assert listed["format"] == "video"
    assert listed["duration_minutes"] == 4
    assert listed["tags"] == ["dementia"]
    assert listed["updated_on"] == "2024-03-18"
    assert listed["version"] == "2"
    assert listed["retired"] is False
    assert listed["rating"] == {
        "average": 4.0,
        "count": 1,
        "still_accurate": 1,
        "outdated": 0,
    }
    assert listed["url"] == "http://localhost/learn/dementia-care-101"
    assert listed["ask_url"] == "http://localhost/learn/dementia-care-101/ask"
    assert listed["embed_url"] == "http://localhost/embed/learn/dementia-care-101"
    assert listed["threads_url"].endswith(
        "/api/v1/microlearns/dementia-care-101/threads"
    )


def test_list_filters_by_tag_and_format_and_pages(app, client, make_microlearn):
    """?tag= and ?format= narrow the list; ?page= walks it."""
    app.config["MICROLEARNS_PER_PAGE"] = 1
    make_microlearn(key="fire-video", format="video", tags="fire")
    make_microlearn(key="fire-pdf", format="pdf", tags="fire")
    make_microlearn(key="food-quiz", format="quiz", tags="food")

    def keys(query):
        return [
            i["key"] for i in client.get(f"/api/v1/microlearns{query}").json["items"]
        ]

    assert keys("?tag=fire&format=pdf") == ["fire-pdf"]
    assert keys("?tag=food") == ["food-quiz"]
    assert keys("?page=1") == ["food-quiz"]
    assert keys("?page=3") == ["fire-video"]
    assert keys("?page=4") == []


def test_list_hides_retired_but_item_still_answers(client, curator, make_microlearn):
    """Retired microlearns leave the list; their own address says they are retired."""
    item = make_microlearn(key="old-item")
    services.retire_microlearn(curator, item)
    assert client.get("/api/v1/microlearns").json["items"] == []
    assert client.get("/api/v1/microlearns/old-item").json["retired"] is True


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?format=book", "bad_format"),
        ("?tag=%3Cscript%3E", "bad_tag"),
        ("?page=0", "bad_page"),
        ("?page=x", "bad_page"),
        ("?sort=random", "bad_sort"),
    ],
)
def test_list_refuses_bad_parameters(client, query, code):
    """Bad parameters get a 400 JSON error naming the problem."""
    assert error_code(client.get(f"/api/v1/microlearns{query}")) == code


def test_unknown_key_is_a_json_404(client):
    """An unknown key is a 404 with a JSON error, for the item and its threads."""
    assert error_code(client.get("/api/v1/microlearns/nope"), 404) == "not_found"
    response = client.get("/api/v1/microlearns/nope/threads")
    assert error_code(response, 404) == "not_found"


def test_player_url_only_when_its_host_is_allowed(app, client, make_microlearn):
    """The API gives a player address only while its host is on the allow-list."""
    app.config["EMBED_PLAYER_HOSTS"] = ("player.vimeo.com",)
    make_microlearn(key="with-player", player_url="https://player.vimeo.com/video/1")
    assert client.get("/api/v1/microlearns/with-player").json["player_url"]
    app.config["EMBED_PLAYER_HOSTS"] = ()
    assert client.get("/api/v1/microlearns/with-player").json["player_url"] is None


def test_threads_list_only_questions_about_the_microlearn(
    client, make_microlearn, make_question
):
    """Questions about nothing, or about another microlearn, are not its threads."""
    make_microlearn(key="fire-safety")
    make_question()
    body = client.get("/api/v1/microlearns/fire-safety/threads").get_json()
    assert body == {"key": "fire-safety", "sort": "votes", "items": []}


def test_threads_describe_linked_questions(
    client, make_microlearn, make_question, make_answer, ask_about
):
    """Each thread has id, title, url, score, answer count, acceptance and activity."""
    item = make_microlearn(key="fire-safety")
    other = make_microlearn(key="first-aid")
    question = ask_about(item, title="Where is the fire assembly point?", now=T0)
    answer = make_answer(question, now=T0 + timedelta(hours=2))
    posts.accept_answer(question.author, answer, now=T0 + timedelta(hours=3))
    older = ask_about(item, now=T0 - timedelta(days=1))
    ask_about(other, now=T0)
    make_question(now=T0)

    body = client.get("/api/v1/microlearns/fire-safety/threads?sort=activity").json
    first = body["items"][0]
    assert first == {
        "id": question.id,
        "title": "Where is the fire assembly point?",
        "url": f"http://localhost/questions/{question.id}/"
        "where-is-the-fire-assembly-point",
        "score": 0,
        "answer_count": 1,
        "has_accepted": True,
        "last_activity": "2024-05-01T12:00:00Z",
    }
    assert [t["id"] for t in body["items"]] == [question.id, older.id]
    limited = client.get("/api/v1/microlearns/fire-safety/threads?limit=1").json
    assert len(limited["items"]) == 1
    described = client.get("/api/v1/microlearns/fire-safety").json
    assert described["question_count"] == 2


def test_site_content_url_is_given_in_full(client, make_microlearn):
    """Content the site serves itself reaches an LMS as a full address."""
    make_microlearn(key="fire-safety", content_url="/static/demo/learn/a.pdf")
    body = client.get("/api/v1/microlearns/fire-safety").json
    assert body["content_url"] == "http://localhost/static/demo/learn/a.pdf"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?sort=newest", "bad_sort"),
        ("?limit=0", "bad_limit"),
        ("?limit=51", "bad_limit"),
    ],
)
def test_threads_refuse_bad_parameters(client, make_microlearn, query, code):
    """A thread sort other than votes or activity, or a bad limit, is a 400."""
    make_microlearn(key="fire-safety")
    response = client.get(f"/api/v1/microlearns/fire-safety/threads{query}")
    assert error_code(response) == code


# ---- CORS ----


def test_allowed_origin_may_read_the_api(app, client):
    """An allowed Origin is echoed, with GET and OPTIONS only and no credentials."""
    app.config["EMBED_ALLOWED_ORIGINS"] = (LMS, "https://app.example.org")
    for path in ("/api/v1/microlearns", "/api/v1/microlearns/nope"):
        response = client.get(path, headers={"Origin": LMS})
        assert response.headers["Access-Control-Allow-Origin"] == LMS
        assert response.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"
        assert "Access-Control-Allow-Credentials" not in response.headers
        assert "Origin" in response.headers["Vary"]
    preflight = client.options("/api/v1/microlearns", headers={"Origin": LMS})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == LMS


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "https://lms.example.com.evil.io", "null"]
)
def test_disallowed_origin_gets_no_cors_header(app, client, origin):
    """An Origin that is not listed gets no Access-Control-Allow-Origin at all."""
    app.config["EMBED_ALLOWED_ORIGINS"] = (LMS,)
    response = client.get("/api/v1/microlearns", headers={"Origin": origin})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_no_cors_when_no_origins_are_configured(client):
    """With the setting empty, no origin may read the API from a browser."""
    response = client.get("/api/v1/microlearns", headers={"Origin": LMS})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_writes_are_not_allowed(client, make_microlearn):
    """The microlearn API is read-only: a POST is 405."""
    make_microlearn(key="fire-safety")
    assert client.post("/api/v1/microlearns").status_code == 405
    assert client.post("/api/v1/microlearns/fire-safety").status_code == 405
