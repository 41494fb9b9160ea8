"""Discovery: similar questions while asking, related questions on a question page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape

from forum.extensions import db
from forum.posts import services as posts
from forum.search import services
from forum.search.services import RelatedCache, related_questions, similar_questions

LAPTOP = "How do I reset my laptop password at the office?"
ROOMS = "Where do I book the meeting rooms on floor two?"
PAYSLIP = "Payslip portal says my password expired, what now?"


def _titles(questions) -> list[str]:
    """Return the titles of questions."""
    return [question.title for question in questions]


def test_similar_questions_share_title_words(make_question, drain):
    """A title finds the questions whose titles share its words, best match first."""
    make_question(title=ROOMS)
    make_question(title=PAYSLIP)
    laptop = make_question(title=LAPTOP)
    drain()
    found = similar_questions("Forgot the password of my office laptop")
    assert found[0].id == laptop.id
    assert ROOMS not in _titles(found)


def test_similar_questions_need_only_some_words(make_question, drain):
    """Unlike a search, a similar question need not hold every word of the title."""
    laptop = make_question(title=LAPTOP)
    drain()
    assert _titles(similar_questions("laptop screen flickers after docking")) == [
        laptop.title
    ]


def test_similar_questions_count_tags(make_question, drain):
    """A tag in common counts: a title word that names a tag finds its questions."""
    tagged = make_question(title="Which charger fits the new model?", tags="laptops")
    make_question(title=ROOMS, tags="facilities")
    drain()
    assert _titles(similar_questions("Spare laptops for visitors")) == [tagged.title]
    assert _titles(similar_questions("Spare kit for visitors", "laptops")) == [
        tagged.title
    ]


def test_similar_questions_are_live_questions_only(
    make_user, make_question, make_answer, drain
):
    """Answers never come back, nor deleted questions, even before the index knows."""
    moderator = make_user(role="moderator")
    kept = make_question(title=LAPTOP)
    make_answer(kept, body="Reset the laptop password at the service desk portal.")
    gone = make_question(title="Laptop password reset link never arrives")
    drain()
    posts.delete_post(moderator, gone)
    # Not drained: the index still holds the deleted question.
    assert _titles(similar_questions("laptop password reset")) == [kept.title]


def test_similar_questions_leave_out_the_excluded_one(make_question, drain):
    """exclude leaves a question out, as a question page leaves itself out."""
    first = make_question(title=LAPTOP)
    second = make_question(title="Laptop password expired during my holiday")
    drain()
    found = similar_questions("laptop password", exclude=first.id)
    assert [question.id for question in found] == [second.id]


def test_at_most_five_similar_questions(make_question, drain):
    """No more than five questions are offered."""
    for n in range(7):
        make_question(title=f"Laptop docking station number {n} is not charging")
    drain()
    assert len(similar_questions("laptop docking station")) == 5


@pytest.mark.parametrize(
    "title", ["", "   ", "how to do it", "?!*&", "\x00\u202e", "x" * 5000, "[a] -b"]
)
def test_odd_titles_find_nothing_and_never_fail(make_question, drain, title):
    """Stop words, punctuation, control characters or huge input return a list."""
    make_question(title=LAPTOP)
    drain()
    assert isinstance(similar_questions(title, "??? [x]"), list)


def test_similar_endpoint_returns_json(client, make_question, make_answer, drain):
    """GET /search/similar?title= lists id, title, link and answer count."""
    question = make_question(title=LAPTOP)
    make_answer(question)
    drain()
    data = client.get("/search/similar?title=laptop+password").get_json()
    assert data["items"] == [
        {
            "id": question.id,
            "title": LAPTOP,
            "url": f"/questions/{question.id}/{posts.slugify(LAPTOP)}",
            "answer_count": 1,
            "score": 0,
        }
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?title=",
        "?title=" + "laptop%20" * 500,
        "?title=%00%ff&tags=%5B%5D",
        "?title=laptop&exclude=abc",
        "?title=laptop&exclude=99999999999999",
        "?title=laptop&tags=" + "x" * 5000,
    ],
)
def test_similar_endpoint_never_fails(client, make_question, drain, query):
    """Odd parameters give a JSON list, never an error."""
    make_question(title=LAPTOP)
    drain()
    response = client.get(f"/search/similar{query}")
    assert response.status_code == 200
    assert isinstance(response.get_json()["items"], list)


def _ask_page(client, auth, make_user, **form) -> str:
    """Post the ask form with a problem and return the page that comes back."""
    auth.login(make_user())
    response = client.post("/questions/ask", data=form)
    assert response.status_code in (200, 422)
    return response.get_data(as_text=True)


def test_ask_page_starts_with_a_hint(client, auth, make_user):
    """Without a title the ask page explains what the similar list will show."""
    auth.login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    assert 'id="similar-questions"' in page
    assert "questions that may already answer it appear here" in page
    assert 'data-similar-url="/search/similar"' in page


def test_ask_form_error_lists_similar_questions(
    client, auth, make_user, make_question, drain
):
    """A form that comes back with an error lists the questions like its title."""
    laptop = make_question(title=LAPTOP)
    drain()
    page = _ask_page(
        client, auth, make_user, title="My laptop password stopped working", body="?"
    )
    assert str(escape(laptop.title)) in page
    assert "My laptop password stopped working" in page


def test_check_button_keeps_the_text_and_lists_similar(
    client, auth, make_user, make_question, drain
):
    """Without JavaScript, "Check for similar questions" comes back with every field."""
    laptop = make_question(title=LAPTOP, tags="onboarding")
    drain()
    auth.login(make_user())
    form = {
        "title": "Laptop password expired on my first day",
        "body": "I typed it three times & now it is locked. <b>Help</b>",
        "tags": "onboarding",
    }
    response = client.post("/search/similar", data=form)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/questions/ask"
    assert target.fragment == "similar-questions"
    assert "restore" in parse_qs(target.query)
    page = client.get(f"{target.path}?{target.query}").get_data(as_text=True)
    assert str(escape(laptop.title)) in page
    for value in form.values():
        assert str(escape(value)) in page
    assert "Check for similar questions" in page


def test_check_button_needs_a_login(client):
    """Only members can ask, so only members can check their title."""
    response = client.post("/search/similar", data={"title": LAPTOP})
    assert response.status_code in (302, 401)
    assert "/login" in response.headers.get("Location", "/login")


def test_tag_input_suggests_existing_tags_with_counts(
    client, auth, make_user, make_question
):
    """The tag field is wired to /api/v1/tags, which lists matching tags with counts."""
    make_question(tags="laptops")
    make_question(tags="laptops onboarding")
    auth.login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    assert 'data-tag-input="/api/v1/tags"' in page
    assert (
        'list="tag-suggestions"' in page and '<datalist id="tag-suggestions">' in page
    )
    items = client.get("/api/v1/tags?prefix=lap").get_json()["items"]
    assert [(item["name"], item["question_count"]) for item in items] == [
        ("laptops", 2)
    ]


def test_every_page_loads_the_search_script(client):
    """search.js is loaded (deferred) on every page and served."""
    page = client.get("/").get_data(as_text=True)
    assert '<script src="/static/js/search.js" defer></script>' in page
    with client.get("/static/js/search.js") as script:
        assert script.status_code == 200


def test_question_page_lists_related_questions(client, make_user, make_question, drain):
    """A question page lists live questions like it, never itself or deleted ones."""
    moderator = make_user(role="moderator")
    question = make_question(title=LAPTOP, tags="laptops")
    related = make_question(title="Laptop password rules for contractors")
    deleted = make_question(title="Office laptop password reset by phone")
    unrelated = make_question(title=ROOMS, tags="facilities")
    posts.delete_post(moderator, deleted)
    drain()
    page = client.get(
        f"/questions/{question.id}/{posts.slugify(question.title)}"
    ).get_data(as_text=True)
    section = page[page.index("Related questions") :]
    assert related.title in section
    assert f"/questions/{question.id}/" not in section
    assert deleted.title not in section
    assert unrelated.title not in section


def test_a_page_without_related_questions_shows_no_list(client, make_question, drain):
    """With nothing alike, the question page has no empty "Related" heading."""
    question = make_question(title=LAPTOP)
    drain()
    page = client.get(
        f"/questions/{question.id}/{posts.slugify(question.title)}"
    ).get_data(as_text=True)
    assert "Related questions" not in page


def test_related_questions_are_kept_but_deleted_ones_drop_out(
    make_user, make_question, drain
):
    """The kept list is read afresh: a question deleted since is not shown."""
    moderator = make_user(role="moderator")
    question = make_question(title=LAPTOP)
    other = make_question(title="Laptop password rules for contractors")
    drain()
    assert _titles(related_questions(question)) == [other.title]
    posts.delete_post(moderator, other)
    drain()
    assert related_questions(question) == []


def test_related_questions_are_asked_again_after_an_edit(make_question, drain):
    """Editing the title or tags asks the index again instead of using the kept list."""
    question = make_question(title=LAPTOP, tags="laptops")
    rooms = make_question(title=ROOMS, tags="facilities")
    make_question(title="Laptop password rules for contractors", tags="laptops")
    drain()
    assert rooms.title not in _titles(related_questions(question))
    posts.edit_post(
        question.author,
        question,
        body=question.body_markdown,
        title="Can I book the meeting rooms for a training day?",
        tags="facilities",
    )
    drain()
    assert _titles(related_questions(question)) == [rooms.title]


def test_related_questions_are_kept_for_a_while(app, make_question, drain, monkeypatch):
    """Within a few minutes the kept ids are used: the index is not asked again."""
    question = make_question(title=LAPTOP)
    make_question(title="Laptop password rules for contractors")
    drain()
    first = related_questions(question)
    backend = app.extensions["search"].backend

    def fail(*args, **kwargs):
        """Stand in for the index, which must not be asked."""
        raise AssertionError("asked the index again")

    monkeypatch.setattr(backend, "similar", fail)
    assert related_questions(question) == first


def test_kept_lists_expire_and_make_room():
    """An entry lasts its time; beyond the limit the oldest goes first."""
    cache = RelatedCache(seconds=60, kept=2)
    cache.put("a", [1])
    cache.put("b", [2])
    cache.put("c", [3])
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, [2], [3])
    expired = RelatedCache(seconds=-1)
    expired.put("a", [1])
    assert expired.get("a") is None


def test_a_failing_index_leaves_the_pages_working(
    app, client, auth, make_user, make_question, drain, monkeypatch, caplog
):
    """If the index fails, the ask and question pages still work, without the lists."""
    question = make_question(title=LAPTOP)
    make_question(title="Laptop password rules for contractors")
    drain()

    def broken(*args, **kwargs):
        """Fail as a damaged index would."""
        raise OSError("index unreadable")

    monkeypatch.setattr(app.extensions["search"].backend, "similar", broken)
    page = client.get(f"/questions/{question.id}/{posts.slugify(question.title)}")
    assert page.status_code == 200
    assert "Related questions" not in page.get_data(as_text=True)
    ask = _ask_page(client, auth, make_user, title="Laptop password again", body="?")
    assert "Laptop password again" in ask
    assert "Related questions failed" in caplog.text


def test_similar_questions_cost_a_fixed_number_of_statements(
    make_question, make_answer, drain, count_queries
):
    """Finding and loading similar questions takes at most two SQL statements."""
    for n in range(4):
        make_answer(make_question(title=f"Laptop password question number {n}"))
    drain()
    db.session.expire_all()
    with count_queries() as counter:
        found = services.similar_questions("laptop password")
    assert len(found) == 4 and all(question.is_question for question in found)
    assert counter.count <= 2, "\n".join(counter.statements)
