"""Questions about microlearns: linking, the ask and edit forms, cards, suggestions."""

from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from forum.errors import ValidationError
from forum.extensions import db
from forum.following import services as following
from forum.microlearns import services
from forum.posts import services as posts
from forum.posts.models import Post, Revision

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TITLE = "What do I do when the fire alarm sounds at night?"
BODY = "Nobody told me where the night staff meet when the alarm goes off."


def ask(author, microlearn="", title=TITLE, tags="onboarding", now=None):
    """Ask a valid question through the service, maybe about a microlearn."""
    return posts.ask_question(author, title, BODY, tags, microlearn=microlearn, now=now)


def problems(error) -> dict:
    """Return the field problems of a ValidationError caught by pytest.raises."""
    return error.value.errors


@pytest.fixture
def asker(make_user, make_question):
    """Return a member, with the onboarding tag on the site already."""
    make_question(tags="onboarding")
    return make_user(display_name="Asha Asker")


# ---- the rules ----


@pytest.mark.parametrize(
    "typed",
    [
        "fire-safety",
        "  Fire-Safety ",
        "https://knowhow.example.com/learn/fire-safety",
        "/learn/fire-safety?sort=votes",
    ],
)
def test_question_is_linked_by_key_or_pasted_address(asker, make_microlearn, typed):
    """A key in any case, or a pasted microlearn address, links the question."""
    item = make_microlearn(key="fire-safety")
    question = ask(asker, typed)
    assert question.microlearn_id == item.id
    assert item.question_count == 1


def test_unknown_key_is_a_field_error_listed_with_the_others(asker, make_microlearn):
    """An unknown key is a problem of its field, reported with every other problem."""
    make_microlearn(key="fire-safety")
    with pytest.raises(ValidationError) as error:
        posts.ask_question(asker, "Short", BODY, "onboarding", microlearn="fire-safe")
    assert set(problems(error)) == {"title", "microlearn"}
    assert "no microlearn with the key “fire-safe”" in problems(error)["microlearn"]
    assert db.session.scalar(select(Post).where(Post.title == "Short")) is None


def test_retired_microlearn_takes_no_new_questions(asker, curator, make_microlearn):
    """A retired microlearn cannot be chosen for a new question."""
    item = make_microlearn(key="fire-safety", title="Fire safety basics")
    services.retire_microlearn(curator, item)
    with pytest.raises(ValidationError) as error:
        ask(asker, "fire-safety")
    assert "“Fire safety basics” is retired" in problems(error)["microlearn"]


def test_edit_changes_and_removes_the_link_and_recounts(asker, make_microlearn):
    """Editing moves a question to another microlearn or unlinks it; counts follow."""
    first = make_microlearn()
    second = make_microlearn()
    question = ask(asker, first.key)
    posts.edit_post(
        asker,
        question,
        body=question.body_markdown,
        title=question.title,
        tags="onboarding",
        microlearn=second.key,
    )
    assert question.microlearn_id == second.id
    assert (first.question_count, second.question_count) == (0, 1)
    revision = db.session.scalars(
        select(Revision)
        .where(Revision.post_id == question.id)
        .order_by(Revision.number.desc())
    ).first()
    assert revision.summary == "Changed the microlearn link"

    posts.edit_post(
        asker,
        question,
        body=question.body_markdown,
        title=question.title,
        tags="onboarding",
        microlearn="",
    )
    assert question.microlearn_id is None
    assert second.question_count == 0


def test_edit_that_does_not_name_the_link_keeps_it(asker, make_microlearn):
    """An edit through a caller that leaves the link out (microlearn=None) keeps it."""
    item = make_microlearn()
    question = ask(asker, item.key)
    posts.edit_post(
        asker,
        question,
        body=question.body_markdown + " Thanks!",
        title=question.title,
        tags="onboarding",
    )
    assert question.microlearn_id == item.id


def test_nothing_changed_is_still_refused(asker, make_microlearn):
    """Saving the same content and the same link changes nothing and says so."""
    item = make_microlearn()
    question = ask(asker, item.key)
    with pytest.raises(ValidationError, match="Nothing was changed"):
        posts.edit_post(
            asker,
            question,
            body=question.body_markdown,
            title=question.title,
            tags="onboarding",
            microlearn=item.key.upper(),
        )


def test_a_retired_link_survives_edits_but_cannot_be_chosen(
    asker, curator, make_microlearn
):
    """Editing a question keeps its retired microlearn; no one can newly pick it."""
    kept = make_microlearn()
    retired = make_microlearn()
    question = ask(asker, kept.key)
    other = ask(asker, "", title="Which door do the night staff use in a fire?")
    services.retire_microlearn(curator, kept)
    services.retire_microlearn(curator, retired)
    posts.edit_post(
        asker,
        question,
        body=question.body_markdown + " Still unsure.",
        title=question.title,
        tags="onboarding",
        microlearn=kept.key,
    )
    assert question.microlearn_id == kept.id
    with pytest.raises(ValidationError) as error:
        posts.edit_post(
            asker,
            other,
            body=other.body_markdown,
            title=other.title,
            tags="onboarding",
            microlearn=retired.key,
        )
    assert "retired" in problems(error)["microlearn"]


def test_delete_and_undelete_recount_the_microlearn(asker, make_microlearn):
    """A deleted question stops counting for its microlearn until it is undeleted."""
    item = make_microlearn()
    question = ask(asker, item.key)
    posts.delete_post(asker, question)
    assert item.question_count == 0
    assert services.threads_of(item) == []
    posts.undelete_post(asker, question)
    assert item.question_count == 1


def test_start_page_shows_new_questions_about_followed_microlearns(
    make_user, asker, make_microlearn
):
    """/me lists others' new questions about the microlearns I follow, only those."""
    followed = make_microlearn()
    other = make_microlearn()
    member = make_user()
    following.follow(member, "microlearn", followed.id, now=T0)
    services_visit = following.visit_start_page
    services_visit(member, now=T0 + timedelta(minutes=1))
    about = ask(asker, followed.key, now=T0 + timedelta(hours=1))
    ask(asker, other.key, title="Who checks the fire doors on Sundays?")
    ask(member, followed.key, title="Do I sign the fire register every shift?")
    page = services_visit(member, now=T0 + timedelta(hours=2))
    assert [q.id for q in page.new_about_microlearns] == [about.id]


def test_related_microlearns_need_two_signals(make_user, make_question, curator):
    """A microlearn is suggested for a shared tag and title word, or two of either."""
    make_question(tags="fire-safety evacuation")
    item = services.create_microlearn(
        curator,
        {
            "key": "fire-evacuation",
            "title": "Evacuation at night",
            "objective": "Lead residents to the assembly point when the alarm sounds.",
            "format": "video",
            "content_url": "https://learning.example.com/1",
            "tags": "fire-safety evacuation",
        },
    )
    one_tag = services.create_microlearn(
        curator,
        {
            "key": "fire-doors",
            "title": "Checking doors every week",
            "objective": "Check that every door closes by itself and is not propped.",
            "format": "pdf",
            "content_url": "https://learning.example.com/2",
            "tags": "fire-safety",
        },
    )
    asker = make_user()
    question = posts.ask_question(
        asker,
        "Where is the assembly point for the night shift?",
        BODY,
        "fire-safety",
    )
    assert services.related_microlearns(question) == [item]
    unrelated = posts.ask_question(
        asker, "How do I book annual leave in the portal?", BODY, "evacuation"
    )
    assert services.related_microlearns(unrelated) == []
    services.retire_microlearn(curator, item)
    assert one_tag not in services.related_microlearns(question)
    assert services.related_microlearns(question) == []


def test_suggestions_match_key_prefix_then_title(make_microlearn, curator):
    """Autocomplete finds live items by key prefix first, then by title words."""
    by_key = make_microlearn(key="fire-safety", title="Alarm basics for everyone")
    by_title = make_microlearn(key="evacuation", title="Where the fire doors are")
    retired = make_microlearn(key="fire-old", title="Fire drills, 2019")
    services.retire_microlearn(curator, retired)
    assert services.suggest_microlearns("FIRE") == [by_key, by_title]
    assert services.suggest_microlearns("  ") == []
    assert services.suggest_microlearns("100%_") == []


# ---- the pages ----


def test_deep_link_opens_the_ask_form_with_the_microlearn_card(
    client, auth, asker, make_microlearn
):
    """/learn/<key>/ask pre-links the ask form and shows the microlearn's card."""
    make_microlearn(key="fire-safety", title="Fire safety basics")
    auth.login(asker)
    response = client.get("/learn/fire-safety/ask", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="microlearn"' in page and 'value="fire-safety"' in page
    assert "Your question will be about" in page and "Fire safety basics" in page
    assert "data-microlearn-input" in page


def test_deep_link_to_a_retired_microlearn_says_so_at_once(
    client, auth, asker, curator, make_microlearn
):
    """A deep link to a retired microlearn shows the field's problem before typing."""
    item = make_microlearn(key="fire-safety", title="Fire safety basics")
    services.retire_microlearn(curator, item)
    auth.login(asker)
    response = client.get("/questions/ask?microlearn=fire-safety")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="fire-safety"' in page
    assert str(escape("“Fire safety basics” is retired")) in page


def test_ask_form_keeps_the_link_and_card_through_errors(
    client, auth, asker, make_microlearn
):
    """A form sent back with errors keeps the microlearn key and its card."""
    make_microlearn(key="fire-safety", title="Fire safety basics")
    auth.login(asker)
    response = client.post(
        "/questions/ask",
        data={
            "title": "Short",
            "body": BODY,
            "tags": "onboarding",
            "microlearn": "fire-safety",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="fire-safety"' in page and "Fire safety basics" in page


def test_unknown_key_comes_back_as_a_field_error_with_the_text(
    client, auth, asker, make_microlearn
):
    """An unknown key is shown at its field, and nothing typed is lost."""
    make_microlearn(key="fire-safety")
    auth.login(asker)
    response = client.post(
        "/questions/ask",
        data={
            "title": TITLE,
            "body": BODY,
            "tags": "onboarding",
            "microlearn": "fire-safty",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="fire-safty"' in page and str(escape(TITLE)) in page
    assert 'id="microlearn-error"' in page
    assert db.session.scalar(select(Post).where(Post.title == TITLE)) is None


def test_question_page_shows_the_microlearn_card(client, auth, asker, make_microlearn):
    """A linked question shows its microlearn: title, format, duration, objective."""
    make_microlearn(
        key="fire-safety",
        title="Fire safety basics",
        format="podcast",
        duration_minutes="6",
        objective="Lead residents to the assembly point when the alarm sounds.",
    )
    auth.login(asker)
    response = client.post(
        "/questions/ask",
        data={
            "title": TITLE,
            "body": BODY,
            "tags": "onboarding",
            "microlearn": "fire-safety",
        },
        follow_redirects=True,
    )
    card = (
        response.get_data(as_text=True)
        .split('<aside class="ml-about')[1]
        .split("</aside>")[0]
    )
    for text in (
        "This question is about",
        "Fire safety basics",
        "Podcast",
        "6 min",
        "Lead residents to the assembly point",
        'href="/learn/fire-safety"',
    ):
        assert text in card
    learn = client.get("/learn/fire-safety").get_data(as_text=True)
    assert str(escape(TITLE)) in learn


def test_edit_form_shows_changes_and_removes_the_link(
    client, auth, asker, make_microlearn
):
    """The edit form shows the linked key; changing or clearing it relinks."""
    first = make_microlearn(key="fire-safety")
    make_microlearn(key="first-aid")
    question = ask(asker, first.key)
    auth.login(asker)
    page = client.get(f"/posts/{question.id}/edit").get_data(as_text=True)
    assert 'value="fire-safety"' in page
    fields = {
        "title": question.title,
        "body": question.body_markdown,
        "tags": "onboarding",
        "summary": "",
    }
    response = client.post(
        f"/posts/{question.id}/edit", data={**fields, "microlearn": "first-aid"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert services.get_microlearn("first-aid").question_count == 1
    client.post(f"/posts/{question.id}/edit", data={**fields, "microlearn": ""})
    db.session.expire_all()
    assert db.session.get(Post, question.id).microlearn_id is None


@pytest.fixture
def unlinked(make_user, make_question, curator):
    """Return (asker, question, matching microlearn) for a question about nothing."""
    make_question(tags="fire-safety")
    item = services.create_microlearn(
        curator,
        {
            "key": "fire-evacuation",
            "title": "Evacuation at night",
            "objective": "Lead residents to the assembly point when the alarm sounds.",
            "format": "video",
            "content_url": "https://learning.example.com/1",
            "tags": "fire-safety",
        },
    )
    asker = make_user()
    question = posts.ask_question(
        asker, "Where is the assembly point at night?", BODY, "fire-safety"
    )
    return asker, question, item


def test_asker_is_offered_matching_microlearns_and_links_one(client, auth, unlinked):
    """The asker sees matching microlearns and links the question with one click."""
    asker, question, item = unlinked
    auth.login(asker)
    url = f"/posts/{question.id}"
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "Is your question about one of these?" in page
    assert "Evacuation at night" in page
    response = client.post(
        "/learn/fire-evacuation/link", data={"question": str(question.id)}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your question is now about" in page
    assert "This question is about" in page
    assert "Is your question about one of these?" not in page
    db.session.expire_all()
    assert services.get_microlearn("fire-evacuation").question_count == 1


def test_others_see_matching_microlearns_without_link_buttons(
    client, auth, make_user, unlinked
):
    """Everyone sees the matches in a side box; only who may edit can link."""
    _, question, _ = unlinked
    page = client.get(f"/posts/{question.id}", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Learning that may help" in page and "Evacuation at night" in page
    assert "/learn/fire-evacuation/link" not in page
    stranger = make_user()
    auth.login(stranger)
    response = client.post(
        "/learn/fire-evacuation/link", data={"question": str(question.id)}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Post, question.id).microlearn_id is None


def test_nothing_is_suggested_when_nothing_matches(client, make_question):
    """A question that matches no microlearn gets no suggestion box."""
    question = make_question(title="How do I order more printer paper?")
    page = client.get(f"/posts/{question.id}", follow_redirects=True).get_data(
        as_text=True
    )
    assert "ml-related" not in page


def test_suggest_endpoint_returns_keys_and_titles(client, make_microlearn):
    """/learn/suggest?q= returns matching keys, titles and formats as JSON."""
    make_microlearn(key="fire-safety", title="Fire safety basics", format="pdf")
    body = client.get("/learn/suggest?q=fire").get_json()
    assert body == {
        "items": [
            {
                "key": "fire-safety",
                "title": "Fire safety basics",
                "format": "pdf",
                "format_label": "PDF",
                "duration_minutes": 4,
            }
        ]
    }
    assert client.get("/learn/suggest").get_json() == {"items": []}


def test_health_and_suggest_are_not_microlearn_keys(curator):
    """The page names under /learn cannot be taken as keys."""
    for key in ("health", "suggest"):
        with pytest.raises(ValidationError):
            services.create_microlearn(
                curator,
                {
                    "key": key,
                    "title": "A learning item",
                    "objective": "Something a learner can do afterwards.",
                    "format": "video",
                    "content_url": "https://learning.example.com/1",
                },
            )
