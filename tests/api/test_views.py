"""The read API: question lists, question threads, tag suggestions, JSON errors."""

from datetime import UTC, datetime, timedelta

import pytest

from forum.accounts.models import User
from forum.extensions import db
from forum.posts import services

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def parse_time(value: str) -> datetime:
    """Parse an API timestamp, which must be ISO 8601 in UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.utcoffset() == timedelta(0)
    return parsed


def error_of(response, status: int) -> dict:
    """Return the error of a JSON error response after checking its shape."""
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"}
    assert error["code"] and error["message"]
    return error


def ids(response) -> list[int]:
    """Return the question ids a list response holds, in order."""
    assert response.status_code == 200
    return [item["id"] for item in response.get_json()["items"]]


def test_list_describes_each_question(client, make_user, make_question, make_answer):
    """Each listed question has its id, title, counts, tags, author and UTC time."""
    author = make_user(display_name="Nadia Osei", reputation=42)
    question = make_question(
        author=author,
        title="How do I book a moving and handling refresher?",
        tags="onboarding moving-handling",
        now=T0,
    )
    answer = make_answer(question, now=T0 + timedelta(hours=1))
    services.accept_answer(author, answer)

    body = client.get("/api/v1/questions").get_json()

    assert body["page"] == 1
    assert body["per_page"] == 50
    assert body["total"] == 1
    assert body["pages"] == 1
    assert body["sort"] == "newest"
    [item] = body["items"]
    assert item["id"] == question.id
    assert item["title"] == "How do I book a moving and handling refresher?"
    assert item["score"] == 0
    assert item["answer_count"] == 1
    assert item["accepted_answer_id"] == answer.id
    assert item["tags"] == ["moving-handling", "onboarding"]
    # Real reputation: 42, and 2 for accepting an answer.
    assert item["author"] == {
        "id": author.id,
        "display_name": "Nadia Osei",
        "reputation": 44,
    }
    assert parse_time(item["created_at"]) == T0


@pytest.fixture
def four_questions(make_user, make_question, make_answer):
    """Ask four questions at known times, with answers, activity and scores."""
    asker = make_user()
    old = make_question(author=asker, now=T0)
    middle = make_question(author=asker, now=T0 + timedelta(days=1))
    recent = make_question(author=asker, now=T0 + timedelta(days=2))
    newest = make_question(author=asker, now=T0 + timedelta(days=3))
    # The old question gets the latest activity through a fresh answer.
    make_answer(old, now=T0 + timedelta(days=4))
    # The middle one has an accepted answer, the recent one an upvoted answer.
    accepted = make_answer(middle, now=T0 + timedelta(days=1, hours=1))
    services.accept_answer(asker, accepted, now=T0 + timedelta(days=1, hours=2))
    upvoted = make_answer(recent, now=T0 + timedelta(days=2, hours=1))
    upvoted.score = 3
    middle.score = 5
    newest.score = 1
    db.session.commit()
    return old, middle, recent, newest


def test_newest_sort_lists_latest_questions_first(client, four_questions):
    """sort=newest (the default) orders questions by when they were asked."""
    old, middle, recent, newest = four_questions
    expected = [newest.id, recent.id, middle.id, old.id]
    assert ids(client.get("/api/v1/questions")) == expected
    assert ids(client.get("/api/v1/questions?sort=newest")) == expected


def test_active_sort_lists_latest_activity_first(client, four_questions):
    """sort=active orders questions by their latest activity, answers included."""
    old, middle, recent, newest = four_questions
    response = client.get("/api/v1/questions?sort=active")
    assert ids(response) == [old.id, newest.id, recent.id, middle.id]
    times = [
        parse_time(item["last_activity_at"]) for item in response.get_json()["items"]
    ]
    assert times == sorted(times, reverse=True)


def test_unanswered_sort_lists_questions_without_a_good_answer(client, four_questions):
    """sort=unanswered keeps questions with no accepted and no upvoted answer."""
    old, middle, recent, newest = four_questions
    assert ids(client.get("/api/v1/questions?sort=unanswered")) == [newest.id, old.id]


def test_score_sort_lists_highest_score_first(client, four_questions):
    """sort=score orders by score, then newest first among equal scores."""
    old, middle, recent, newest = four_questions
    response = client.get("/api/v1/questions?sort=score")
    assert ids(response) == [middle.id, newest.id, recent.id, old.id]
    assert [item["score"] for item in response.get_json()["items"]] == [5, 1, 0, 0]


def test_tag_filter_lists_only_questions_with_the_tag(client, make_question):
    """?tag= keeps the questions with that tag, ignoring case and spaces."""
    rota = make_question(tags="rota onboarding", now=T0)
    make_question(tags="payroll", now=T0 + timedelta(hours=1))
    other_rota = make_question(tags="rota", now=T0 + timedelta(hours=2))
    response = client.get("/api/v1/questions?tag=%20Rota%20")
    assert ids(response) == [other_rota.id, rota.id]
    assert response.get_json()["tag"] == "rota"
    assert ids(client.get("/api/v1/questions?tag=nothing-like-this")) == []


def test_tag_filter_combines_with_a_sort(client, make_question):
    """?tag= and ?sort= apply together."""
    low = make_question(tags="rota", now=T0)
    high = make_question(tags="rota", now=T0 - timedelta(days=1))
    make_question(tags="payroll", now=T0 + timedelta(days=1)).score = 9
    high.score = 2
    db.session.commit()
    assert ids(client.get("/api/v1/questions?tag=rota&sort=score")) == [
        high.id,
        low.id,
    ]


def test_list_pages_hold_fifty_questions(client, make_user):
    """Lists come 50 questions a page; page 2 holds the rest."""
    asker = make_user(reputation=300)
    for n in range(51):
        services.ask_question(
            asker,
            f"How do I complete onboarding step number {n}?",
            "The checklist says to ask here; what does this step involve?",
            "onboarding",
            now=T0 + timedelta(minutes=n),
        )

    first = client.get("/api/v1/questions").get_json()
    second = client.get("/api/v1/questions?page=2").get_json()

    assert len(first["items"]) == 50
    assert first["total"] == 51
    assert first["pages"] == 2
    assert [item["title"] for item in second["items"]] == [
        "How do I complete onboarding step number 0?"
    ]
    assert second["page"] == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_page_beyond_the_end_is_empty(client, make_question):
    """A page number past the last page returns no items, not an error."""
    make_question()
    for page in ("2", "3", "99999"):
        response = client.get(f"/api/v1/questions?page={page}")
        assert response.status_code == 200
        body = response.get_json()
        assert body["items"] == []
        assert body["page"] == int(page)
        assert body["total"] == 1


@pytest.mark.parametrize("sort", ["oldest", "", "Newest", "score;drop", "\x00"])
def test_unknown_sort_is_a_400_error(client, sort):
    """An unknown sort gets 400 with a JSON error naming the problem."""
    response = client.get("/api/v1/questions", query_string={"sort": sort})
    assert error_of(response, 400)["code"] == "bad_sort"


@pytest.mark.parametrize(
    "page", ["0", "-1", "1.5", "two", "", " 1", "²", "١", "100000", "1" * 5000]
)
def test_bad_page_is_a_400_error(client, page):
    """A page that is not a whole number from 1 to 99999 gets a 400 JSON error."""
    response = client.get("/api/v1/questions", query_string={"page": page})
    assert error_of(response, 400)["code"] == "bad_page"


@pytest.mark.parametrize("tag", ["on boarding", "é", "x" * 36, "%", "a_b"])
def test_tag_that_cannot_exist_is_a_400_error(client, tag):
    """A tag filter that is not a possible tag name gets 400 with a JSON error."""
    response = client.get("/api/v1/questions", query_string={"tag": tag})
    assert error_of(response, 400)["code"] == "bad_tag"


@pytest.fixture
def thread(make_user, make_question, make_answer):
    """Build a question with three answers, one accepted, and comments."""
    from forum.posts.services import add_comment

    asker = make_user(display_name="Asker")
    question = make_question(
        author=asker,
        title="Which form do I use to report a near miss?",
        body="I saw a near miss on the stairs today. **Which** form do I fill in?",
        tags="safety",
        now=T0,
    )
    early = make_answer(
        question,
        body="Use the incident form on the intranet, it covers near misses too.",
        now=T0 + timedelta(hours=1),
    )
    accepted = make_answer(
        question,
        body="Use form HS-12 and copy in your line manager, it is quicker.",
        now=T0 + timedelta(hours=2),
    )
    later = make_answer(
        question,
        body="Ask the duty manager, they keep paper copies of the form.",
        now=T0 + timedelta(hours=3),
    )
    services.accept_answer(asker, accepted, now=T0 + timedelta(hours=4))
    question_comment = add_comment(
        asker, question, "Stairs by the east entrance, for the record.", now=T0
    )
    answer_comment = add_comment(
        asker, accepted, "Thanks, HS-12 was exactly it.", now=T0 + timedelta(hours=5)
    )
    return question, accepted, early, later, question_comment, answer_comment


def test_thread_has_the_question_answers_and_comments(client, thread):
    """A question comes with its body, author, UTC time, answers and comments."""
    question, accepted, early, later, question_comment, answer_comment = thread
    response = client.get(f"/api/v1/questions/{question.id}")
    assert response.status_code == 200
    body = response.get_json()

    assert body["id"] == question.id
    assert body["title"] == "Which form do I use to report a near miss?"
    assert body["body_markdown"].startswith("I saw a near miss")
    assert "<strong>Which</strong>" in body["body_html"]
    assert body["score"] == 0
    assert body["tags"] == ["safety"]
    # Members start at 1; the asker earned 2 for accepting an answer.
    assert body["author"] == {
        "id": question.author.id,
        "display_name": "Asker",
        "reputation": 3,
    }
    assert parse_time(body["created_at"]) == T0
    assert body["accepted_answer_id"] == accepted.id

    [comment] = body["comments"]
    assert comment["id"] == question_comment.id
    assert comment["body_markdown"] == "Stairs by the east entrance, for the record."
    assert comment["author"]["display_name"] == "Asker"
    assert parse_time(comment["created_at"]) == T0

    first = body["answers"][0]
    assert set(first) >= {
        "id",
        "body_markdown",
        "body_html",
        "score",
        "author",
        "created_at",
        "comments",
    }
    assert first["id"] == accepted.id
    assert first["body_markdown"].startswith("Use form HS-12")
    assert first["body_html"].startswith("<p>Use form HS-12")
    assert first["score"] == 0
    # 1 to start with and 15 for the accepted answer.
    assert first["author"] == {
        "id": accepted.author.id,
        "display_name": accepted.author.display_name,
        "reputation": 16,
    }
    assert parse_time(first["created_at"]) == T0 + timedelta(hours=2)
    assert [c["id"] for c in first["comments"]] == [answer_comment.id]
    assert parse_time(first["comments"][0]["created_at"]) == T0 + timedelta(hours=5)


def test_accepted_answer_comes_first(client, thread):
    """The accepted answer is listed first, then the others by score and age."""
    question, accepted, early, later, *_ = thread
    later.score = 2
    db.session.commit()
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert [a["id"] for a in body["answers"]] == [accepted.id, later.id, early.id]


def test_deleted_answers_are_absent(client, thread):
    """An answer its author deleted does not appear in the thread."""
    question, accepted, early, later, *_ = thread
    services.delete_post(early.author, early)
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert [a["id"] for a in body["answers"]] == [accepted.id, later.id]


def test_a_deleted_accepted_answer_is_not_accepted_until_undeleted(
    client, thread, make_user
):
    """While a moderator has the accepted answer deleted, the API shows none."""
    question, accepted, *_ = thread
    mod = make_user(role="moderator")
    services.delete_post(mod, accepted)
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert body["accepted_answer_id"] is None
    assert not any(answer["is_accepted"] for answer in body["answers"])
    [item] = client.get("/api/v1/questions").get_json()["items"]
    assert item["accepted_answer_id"] is None
    assert ids(client.get("/api/v1/questions?sort=unanswered")) == [question.id]

    services.undelete_post(mod, accepted)
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert body["accepted_answer_id"] == accepted.id
    first = body["answers"][0]
    assert first["id"] == accepted.id and first["is_accepted"] is True
    [item] = client.get("/api/v1/questions").get_json()["items"]
    assert item["accepted_answer_id"] == accepted.id
    assert ids(client.get("/api/v1/questions?sort=unanswered")) == []


def test_deleted_question_is_a_json_404(client, thread):
    """A deleted question answers 404 with a JSON error, to everyone."""
    question = thread[0]
    services.delete_post(question.author, question)
    response = client.get(f"/api/v1/questions/{question.id}")
    assert error_of(response, 404)["code"] == "not_found"
    assert question.title not in response.get_data(as_text=True)


@pytest.mark.parametrize("question_id", ["999", "0", "99999999999999999999999"])
def test_unknown_question_is_a_json_404(client, make_question, question_id):
    """An id that names no question answers 404 with code not_found."""
    make_question()
    response = client.get(f"/api/v1/questions/{question_id}")
    assert error_of(response, 404)["code"] == "not_found"


def test_answer_id_is_not_a_question(client, thread):
    """An answer's id answers 404: the thread endpoint is for questions."""
    accepted = thread[1]
    response = client.get(f"/api/v1/questions/{accepted.id}")
    assert error_of(response, 404)["code"] == "not_found"


def test_body_html_is_sanitised(client, make_question, make_answer):
    """body_html is the stored, sanitised HTML: no script survives from Markdown."""
    question = make_question(
        body='Is this safe? <script>alert("q")</script> [x](javascript:alert(1))'
    )
    make_answer(
        question, body='Try <img src=x onerror="alert(1)"> <script>alert(2)</script>'
    )
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    for html in (body["body_html"], body["answers"][0]["body_html"]):
        assert "<script" not in html
        assert "onerror" not in html
        assert "javascript:" not in html
    assert "<script>" in body["body_markdown"]


def test_list_runs_a_fixed_number_of_queries(client, make_user, count_queries):
    """Listing questions costs the same number of queries for 2 or 12 questions."""
    asker_ids = [make_user(reputation=300).id for _ in range(3)]

    def ask(n):
        services.ask_question(
            db.session.get(User, asker_ids[n % 3]),
            f"How do I request annual leave, case {n}?",
            "I cannot find the annual leave form anywhere on the intranet.",
            f"leave hr-{n}",
        )

    for n in range(2):
        ask(n)
    db.session.remove()
    with count_queries() as few:
        client.get("/api/v1/questions")
    for n in range(2, 12):
        ask(n)
    db.session.remove()
    with count_queries() as many:
        client.get("/api/v1/questions")
    assert many.count == few.count


def test_tags_suggest_names_starting_with_the_prefix(client, make_question):
    """/tags?prefix= lists used tags starting with the prefix, most used first."""
    make_question(tags="onboarding oncall")
    make_question(tags="onboarding")
    make_question(tags="python common-room")
    body = client.get("/api/v1/tags?prefix=on").get_json()
    assert [tag["name"] for tag in body["items"]] == ["onboarding", "oncall"]
    assert body["items"][0]["question_count"] == 2
    assert set(body["items"][0]) == {"name", "question_count", "excerpt"}


def test_tags_prefix_is_literal_and_case_blind(client, make_question):
    """The prefix ignores case; characters no tag has (%, _, \\) match nothing."""
    make_question(tags="onboarding")
    assert [
        t["name"] for t in client.get("/api/v1/tags?prefix=ON").get_json()["items"]
    ] == ["onboarding"]
    for prefix in ("%", "_", "o%", "o_", "o n", "\\"):
        response = client.get("/api/v1/tags", query_string={"prefix": prefix})
        assert response.get_json()["items"] == []


def test_tags_without_prefix_suggest_nothing(client, make_question):
    """An empty prefix suggests no tags."""
    make_question(tags="onboarding")
    assert client.get("/api/v1/tags").get_json() == {"items": []}


def test_tags_limit_caps_the_suggestions(client, make_question):
    """?limit= caps the number of suggestions; nonsense falls back to 8."""
    make_question(tags="ops-a ops-b ops-c")
    make_question(tags="ops-d ops-e ops-f")
    make_question(tags="ops-g ops-h ops-i")

    def count(limit):
        response = client.get(
            "/api/v1/tags", query_string={"prefix": "ops", "limit": limit}
        )
        assert response.status_code == 200
        return len(response.get_json()["items"])

    assert count("2") == 2
    assert count("x") == 8
    assert count("0") == 8
    assert count("²") == 8
    assert count("9" * 5000) == 8
    assert count("99999") == 9


def test_post_to_a_read_endpoint_is_a_json_405(client):
    """POST to /api/v1/questions answers 405 in the API's error shape."""
    response = client.post("/api/v1/questions", json={"title": "x"})
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
