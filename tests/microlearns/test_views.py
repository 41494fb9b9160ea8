"""Catalogue, microlearn, curator and rating pages through the HTTP client."""

import pytest

from forum.extensions import db
from forum.microlearns import services
from tests.microlearns.conftest import microlearn_data


def text_of(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def test_catalogue_lists_items_with_rating_and_count(
    client, make_user, make_microlearn
):
    """/learn shows each item's title, objective, average and number of ratings."""
    item = make_microlearn(title="Talking with a resident who has dementia")
    for value in (4, 5):
        services.rate_microlearn(make_user(), item, value)
    page = text_of(client.get("/learn"))
    assert "Talking with a resident who has dementia" in page
    assert item.objective in page
    assert "4.5" in page and "(2 ratings)" in page
    assert f'href="/learn/{item.key}"' in page


def test_catalogue_filters_work_without_javascript(client, make_microlearn):
    """The GET filter form narrows the list by format, tag and duration."""
    video = make_microlearn(title="A short fire video", format="video", tags="fire")
    pdf = make_microlearn(
        title="A long fire handbook", format="pdf", tags="fire", duration_minutes="20"
    )
    make_microlearn(title="A food hygiene quiz", format="quiz", tags="food")
    page = text_of(client.get("/learn?format=pdf&tag=&min_rating=&sort=newest"))
    assert pdf.title in page and video.title not in page
    page = text_of(client.get("/learn?tag=fire&short=1"))
    assert video.title in page and pdf.title not in page
    assert "A food hygiene quiz" not in page
    assert "1 microlearn" in page


def test_catalogue_ignores_nonsense_filters(client, make_microlearn):
    """Unknown sorts, formats and ratings fall back to no filter, never an error."""
    item = make_microlearn()
    response = client.get(
        "/learn?sort=%00drop&format=book&tag=%25&min_rating=9&short=yes&page=-1"
    )
    assert response.status_code == 200
    assert item.title in text_of(response)


def test_catalogue_sort_links_keep_filters(client, make_microlearn):
    """The sort tabs carry the active filters along."""
    make_microlearn(format="pdf")
    page = text_of(client.get("/learn?format=pdf&short=1"))
    assert 'href="/learn?sort=rated&amp;format=pdf&amp;short=1"' in page


def test_catalogue_paginates(app, client, make_microlearn):
    """Beyond a page of items the catalogue links to the next page."""
    app.config["MICROLEARNS_PER_PAGE"] = 2
    for _ in range(3):
        make_microlearn()
    page = text_of(client.get("/learn"))
    assert page.count('class="ml-card"') == 2
    assert 'rel="next"' in page
    assert text_of(client.get("/learn?page=2")).count('class="ml-card"') == 1


def test_microlearn_page_shows_the_item(client, make_microlearn):
    """The page shows objective, format, duration, tags and the ask button."""
    item = make_microlearn(
        key="dementia-care-101", tags="dementia", duration_minutes="4"
    )
    page = text_of(client.get("/learn/dementia-care-101"))
    assert item.objective in page
    assert "4 minutes" in page
    assert ">Video<" in page
    assert 'href="/learn?tag=dementia"' in page
    assert 'href="/learn/dementia-care-101/ask"' in page
    assert "Questions about this" in page
    assert "No questions about this yet" in page
    assert f'href="{item.content_url}" target="_blank" rel="noopener"' in page
    assert "<iframe" not in page


def test_key_in_other_case_redirects(client, make_microlearn):
    """A key typed in capitals redirects to the canonical lower-case page."""
    make_microlearn(key="fire-safety")
    response = client.get("/learn/Fire-Safety")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/learn/fire-safety")


def test_unknown_key_is_404(client):
    """A key nobody uses is a 404 page, malformed or not."""
    assert client.get("/learn/no-such-item").status_code == 404
    assert client.get("/learn/%25%00").status_code == 404


def test_player_embeds_only_from_allowed_hosts(app, client, make_microlearn):
    """The player iframe appears, sandboxed and titled, only from an allowed host."""
    app.config["EMBED_PLAYER_HOSTS"] = ("player.vimeo.com",)
    item = make_microlearn(player_url="https://player.vimeo.com/video/76979871")
    response = client.get(f"/learn/{item.key}")
    page = text_of(response)
    assert 'src="https://player.vimeo.com/video/76979871"' in page
    assert 'sandbox="allow-scripts allow-same-origin' in page
    assert f'title="Player: {item.title}"' in page
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src 'self' https://player.vimeo.com" in policy
    assert "frame-ancestors 'self'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"

    app.config["EMBED_PLAYER_HOSTS"] = ()
    response = client.get(f"/learn/{item.key}")
    assert "<iframe" not in text_of(response)
    assert "frame-src" not in response.headers["Content-Security-Policy"]


def test_ask_redirects_to_the_ask_form_with_the_key(client, make_microlearn):
    """/learn/<key>/ask sends the member to /questions/ask?microlearn=<key>."""
    make_microlearn(key="fire-safety")
    response = client.get("/learn/fire-safety/ask")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/questions/ask?microlearn=fire-safety"
    )


def test_retired_item_hidden_from_catalogue_but_page_loads(
    client, curator, make_microlearn
):
    """A retired microlearn leaves /learn; its page still loads with a note."""
    item = make_microlearn(title="An old procedure, now retired")
    services.retire_microlearn(curator, item)
    assert item.title not in text_of(client.get("/learn"))
    response = client.get(f"/learn/{item.key}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Retired" in page
    assert "Ask a question about this" not in page


# ---- curator pages ----


def test_curator_adds_a_microlearn_through_the_form(client, auth, curator):
    """A curator's form post adds the item and goes to its page."""
    auth.login(curator)
    assert client.get("/learn/new").status_code == 200
    response = client.post("/learn/new", data=microlearn_data(key="first-aid-basics"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/learn/first-aid-basics")
    assert services.get_microlearn("first-aid-basics").created_by_id == curator.id


def test_bad_form_keeps_what_was_typed(client, auth, curator):
    """A refused form comes back with 422, the reasons, and the typed text."""
    auth.login(curator)
    data = microlearn_data(key="Bad Key", objective="", title="Kept title text")
    response = client.post("/learn/new", data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert "Kept title text" in page
    assert 'value="Bad Key"' in page
    assert "Add the one learning objective." in page


def test_members_cannot_open_curator_pages(client, auth, make_user, make_microlearn):
    """Members get 403 on add, edit, retire and the outdated queue."""
    item = make_microlearn()
    auth.login(make_user())
    assert client.get("/learn/new").status_code == 403
    assert client.post("/learn/new", data=microlearn_data()).status_code == 403
    assert client.get(f"/learn/{item.key}/edit").status_code == 403
    assert client.post(f"/learn/{item.key}/retire").status_code == 403
    assert client.get("/learn/outdated").status_code == 403
    assert "Add a microlearn" not in text_of(client.get("/learn"))


def test_curator_edits_and_retires(client, auth, curator, make_microlearn):
    """The edit form is filled in, saves changes, and retire takes effect."""
    item = make_microlearn(key="hoist-use", tags="moving-handling")
    auth.login(curator)
    form = text_of(client.get("/learn/hoist-use/edit"))
    assert f'value="{item.title}"' in form
    assert 'value="moving-handling"' in form
    data = microlearn_data(title="Using the ceiling hoist", tags="moving-handling")
    response = client.post("/learn/hoist-use/edit", data=data)
    assert response.status_code == 302
    assert item.title == "Using the ceiling hoist"
    client.post("/learn/hoist-use/retire")
    assert item.is_retired
    client.post("/learn/hoist-use/restore")
    assert not item.is_retired


def test_anonymous_visitors_are_sent_to_log_in(client, make_microlearn):
    """Curator pages and rating ask anonymous visitors to log in."""
    item = make_microlearn()
    for path in ("/learn/new", f"/learn/{item.key}/edit"):
        assert "/login" in client.get(path).headers["Location"]
    assert "/login" in client.post(f"/learn/{item.key}/rate").headers["Location"]


# ---- ratings and reviews ----


def test_member_rates_and_changes_rating(client, auth, make_user, make_microlearn):
    """A rating form post saves; a second post changes the same rating."""
    item = make_microlearn()
    member = make_user()
    auth.login(member)
    response = client.post(
        f"/learn/{item.key}/rate",
        data={"value": "4", "accuracy": "accurate", "review": "Clear and *short*."},
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/learn/{item.key}"))
    assert "<em>short</em>" in page
    assert "Update your rating" in page
    assert 'value="4" checked' in page
    client.post(f"/learn/{item.key}/rate", data={"value": "2", "accuracy": ""})
    assert (item.rating_count, item.rating_sum, item.accurate_count) == (1, 2, 0)


def test_bad_rating_keeps_the_review_text(client, auth, make_user, make_microlearn):
    """A rating without stars comes back with 422 and the review still typed."""
    item = make_microlearn()
    auth.login(make_user())
    response = client.post(
        f"/learn/{item.key}/rate", data={"review": "My thoughtful review text"}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "My thoughtful review text" in page
    assert "Choose from 1" in page
    assert item.rating_count == 0


def test_rating_a_retired_item_is_refused_kindly(
    client, auth, curator, make_user, make_microlearn
):
    """Rating a retired microlearn redirects with a message, not an error page."""
    item = make_microlearn()
    services.retire_microlearn(curator, item)
    auth.login(make_user())
    response = client.post(f"/learn/{item.key}/rate", data={"value": "5"})
    assert response.status_code == 302
    assert item.rating_count == 0


def test_curator_hides_and_shows_a_review(
    client, auth, curator, make_user, make_microlearn
):
    """A curator's hide button hides a review from others; show brings it back."""
    item = make_microlearn()
    rating = services.rate_microlearn(make_user(), item, 1, review="Spam spam spam")
    auth.login(curator)
    client.post(f"/learn/reviews/{rating.id}/hide")
    assert rating.is_hidden
    auth.logout()
    assert "Spam spam spam" not in text_of(client.get(f"/learn/{item.key}"))
    auth.login(curator)
    client.post(f"/learn/reviews/{rating.id}/unhide")
    assert not rating.is_hidden


def test_members_cannot_hide_reviews(client, auth, make_user, make_microlearn):
    """Hiding a review is for curators and moderators only."""
    rating = services.rate_microlearn(make_user(), make_microlearn(), 1, review="Hm.")
    auth.login(make_user())
    assert client.post(f"/learn/reviews/{rating.id}/hide").status_code == 403
    assert not rating.is_hidden


@pytest.mark.parametrize("role", ["curator", "moderator"])
def test_outdated_queue_page(client, auth, make_user, make_microlearn, role):
    """Curators and moderators see outdated marks and can mark an item checked."""
    item = make_microlearn(title="The old hoist procedure")
    services.rate_microlearn(make_user(), item, 2, "outdated", "We have new hoists.")
    auth.login(make_user(role=role))
    page = text_of(client.get("/learn/outdated"))
    assert "The old hoist procedure" in page
    assert "We have new hoists." in page
    response = client.post(f"/learn/{item.key}/outdated/resolve")
    assert response.status_code == 302
    db.session.expire_all()
    queue = text_of(client.get("/learn/outdated"))
    assert f'href="/learn/{item.key}">The old hoist procedure' not in queue
    assert "Nothing is marked outdated" in queue


def test_nav_links_to_learn(client):
    """Every page's main navigation links to the catalogue."""
    assert 'href="/learn"' in text_of(client.get("/"))


@pytest.mark.parametrize("path", ["/learn?sort=rated", "/learn/item-page"])
def test_pages_run_a_fixed_number_of_statements(
    client, make_user, make_microlearn, count_queries, path
):
    """The catalogue and a microlearn's page cost the same with 2 or 12 items."""
    counts = []
    for extra in (2, 10):
        for _ in range(extra):
            item = make_microlearn(tags="fire food")
            services.rate_microlearn(make_user(), item, 4, review="Useful, thanks.")
        if not counts:
            page_item = make_microlearn(key="item-page", tags="fire")
        services.rate_microlearn(make_user(), page_item, 5, review="Clear steps.")
        db.session.remove()
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 8, counts
