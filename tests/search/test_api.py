"""GET /api/v1/search: the results page as JSON."""

from forum.posts import services as posts

LAPTOP_TITLE = "How do I reset my laptop password at the office?"


def test_search_returns_items_total_and_page(client, make_question, make_answer, drain):
    """Items carry type, ids, title, marked snippet, score, tags and date."""
    question = make_question(title=LAPTOP_TITLE, tags="it-help")
    answer = make_answer(question, body="Restart the laptop and use the reset page.")
    drain()
    data = client.get("/api/v1/search?q=laptop&sort=newest").get_json()
    assert data["total"] == 2
    assert data["page"] == 1
    first, second = data["items"]
    assert (first["type"], first["id"], first["question_id"]) == (
        "answer",
        answer.id,
        question.id,
    )
    assert second["type"] == "question"
    assert second["id"] == second["question_id"] == question.id
    assert first["snippet_html"].startswith("Restart the <mark>laptop</mark> and use")
    assert second["snippet_html"] == question.body_markdown
    for item in data["items"]:
        assert item["title"] == LAPTOP_TITLE
        assert item["tags"] == ["it-help"]
        assert item["score"] == 0
        assert item["created_at"].endswith("Z")
    assert first["url"].endswith(f"#answer-{answer.id}")


def test_snippets_are_escaped(client, make_question, drain):
    """snippet_html is safe to insert: only <mark> is markup."""
    make_question(body="The laptop shows `<img src=x onerror=alert(1)>` on boot.")
    drain()
    snippet = client.get("/api/v1/search?q=laptop").get_json()["items"][0][
        "snippet_html"
    ]
    assert "<img" not in snippet
    assert "&lt;img" in snippet


def test_deleted_posts_are_not_returned(client, make_user, make_question, drain):
    """The API never returns deleted posts."""
    moderator = make_user(role="moderator")
    question = make_question(title=LAPTOP_TITLE)
    posts.delete_post(moderator, question)
    drain()
    assert client.get("/api/v1/search?q=laptop").get_json()["total"] == 0


def test_suggestion_and_notes(client, make_question, drain):
    """Did-you-mean and notes about malformed filters come along."""
    make_question(title="Where is the onboarding checklist for new starters?")
    drain()
    data = client.get("/api/v1/search?q=onbaording score:lots").get_json()
    assert data["suggestion"] == "onboarding score:lots"
    assert "score:" in data["notes"][0]


def test_blank_query_returns_nothing(client):
    """No words, no results; not an error."""
    data = client.get("/api/v1/search").get_json()
    assert (data["items"], data["total"], data["page"]) == ([], 0, 1)


def test_bad_sort_and_page_are_400(client):
    """A sort or page the API does not know is a 400 with a message."""
    response = client.get("/api/v1/search?q=x&sort=best")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_sort"
    for page in ("0", "501", "two"):
        response = client.get(f"/api/v1/search?q=x&page={page}")
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_page"
