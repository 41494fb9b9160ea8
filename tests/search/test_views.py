"""The search page, the help page and the search box in the top bar."""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from markupsafe import escape

from forum.posts import services as posts

LAPTOP_TITLE = "How do I reset my laptop password at the office?"


def _page(client, path: str, status: int = 200) -> str:
    """GET a page, check its status and return its HTML."""
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_results_page_shows_highlighted_results(client, make_question, drain):
    """Results link to their question and mark the matched words."""
    question = make_question(
        title=LAPTOP_TITLE, body="My laptop asks for a password I never set myself."
    )
    drain()
    html = _page(client, "/search?q=laptop")
    assert f'href="/questions/{question.id}/' in html
    assert "<mark>laptop</mark>" in html
    assert "1 result<" in html


def test_answers_link_to_their_place_on_the_question(
    client, make_question, make_answer, drain
):
    """An answer result links to the answer's anchor on its question page."""
    question = make_question(title=LAPTOP_TITLE)
    answer = make_answer(
        question, body="Call the service desk on extension 4242 first."
    )
    drain()
    html = _page(client, "/search?q=extension")
    assert f"#answer-{answer.id}" in html
    assert "Answer:" in html


def test_the_query_stays_in_the_search_boxes(client):
    """The page and the top bar both show what was searched, escaped."""
    query = '"paper jam" <b>printer</b>'
    html = _page(client, "/search?q=" + query)
    assert html.count(f'value="{escape(query)}"') == 2
    assert "<b>printer</b>" not in html


def test_sort_tabs_keep_the_query(client, make_question, drain):
    """Each sort tab searches the same words in another order."""
    make_question(title=LAPTOP_TITLE)
    drain()
    html = _page(client, "/search?q=laptop&sort=votes")
    assert 'href="/search?q=laptop&amp;sort=newest"' in html
    assert re.search(r'sort=votes"\s+aria-current="true"', html)


def test_tag_facets_link_to_a_narrower_search(client, make_question, drain):
    """A tag facet adds [tag] to the query and shows its count."""
    make_question(title=LAPTOP_TITLE, tags="it-help laptops")
    drain()
    html = _page(client, "/search?q=laptop")
    link = re.search(r'href="(/search\?q=laptop[^"]*it-help[^"]*)"', html).group(1)
    assert parse_qs(urlsplit(unquote(link.replace("&amp;", "&"))).query)["q"] == [
        "laptop [it-help]"
    ]
    assert re.search(r'class="facet-count">1<', html)


def test_facets_of_many_results_say_what_they_count(
    client, make_question, drain, monkeypatch
):
    """Past the sample, the facets say they count the first results only."""
    from forum.search import views
    from forum.search.backends import postgres_backend, whoosh_backend

    for module in (views, whoosh_backend, postgres_backend):
        monkeypatch.setattr(module, "FACET_SAMPLE", 2)
    for n in range(2):
        make_question(title=f"{LAPTOP_TITLE} ({n})", tags="laptops")
    make_question(title="Which laptop docking station fits?", tags="laptops")
    drain()
    assert "Counted in the first 2 results." in _page(client, "/search?q=laptop")
    assert "Counted in the first" not in _page(client, "/search?q=docking")


def test_empty_results_offer_to_ask_the_question(client, make_question, drain):
    """No results: the page offers to ask, with the words as the title."""
    make_question(title=LAPTOP_TITLE)
    drain()
    html = _page(client, "/search?q=fire+drill+[safety]")
    assert "Nothing matches" in html
    assert 'href="/questions/ask?title=fire+drill"' in html


def test_did_you_mean_links_to_the_corrected_search(client, make_question, drain):
    """A likely typo gets a link to the corrected search."""
    make_question(title="Where is the onboarding checklist for new starters?")
    drain()
    html = _page(client, "/search?q=onbaording")
    assert 'Did you mean <a href="/search?q=onboarding">onboarding</a>?' in html


def test_bad_operator_values_are_explained(client):
    """A malformed filter is searched as words and the page says how to write it."""
    html = _page(client, "/search?q=score:lots")
    assert "not a filter we understand" in html
    assert "score:1..10" in html


def test_deleted_posts_are_not_shown(client, make_user, make_question, drain):
    """A deleted question is not on the results page."""
    moderator = make_user(role="moderator")
    question = make_question(title=LAPTOP_TITLE)
    posts.delete_post(moderator, question)
    drain()
    assert f"/questions/{question.id}/" not in _page(client, "/search?q=laptop")


def test_user_me_finds_the_viewers_posts(client, auth, make_user, make_question, drain):
    """Logged in, user:me finds your own posts."""
    ana = make_user()
    mine = make_question(author=ana, title=LAPTOP_TITLE)
    make_question(title="How do I reset my phone password at the office?")
    drain()
    auth.login(ana)
    html = _page(client, "/search?q=reset+user:me")
    assert f"/questions/{mine.id}/" in html
    assert "1 result<" in html


def test_result_pages(client, make_question, drain):
    """More results than a page get page links that keep the query."""
    for n in range(22):
        make_question(title=f"{LAPTOP_TITLE} ({n})")
    drain()
    html = _page(client, "/search?q=laptop&sort=newest")
    assert 'href="/search?q=laptop&amp;sort=newest&amp;page=2"' in html
    second = _page(client, "/search?q=laptop&sort=newest&page=2")
    assert second.count('class="question-row search-result"') == 2
    beyond = _page(client, "/search?q=laptop&sort=newest&page=9")
    assert "There is no page 9" in beyond


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=nonsense&q=laptop",
        "page=-1&q=x",
        "page=99999999999&q=x",
        "q=%00",
        "q=" + "x" * 5000,
        "q=created:9999-12-31",
        "q=%5B",
    ],
)
def test_odd_parameters_never_fail(client, query):
    """Any parameters give a page, never an error."""
    _page(client, "/search?" + query)


def test_blank_search_explains_what_to_do(client):
    """The page without words invites a search and links the help."""
    html = _page(client, "/search")
    assert "Type a few words" in html
    assert 'href="/help/search"' in html


def test_help_page_documents_every_operator(client):
    """The help page lists each operator with an example."""
    html = _page(client, "/help/search")
    for operator in (
        '"expense report"',
        "[onboarding]",
        "-[it-help]",
        "-weekend",
        "user:me",
        "score:1..10",
        "answers:2",
        "isaccepted:yes",
        "hasaccepted:no",
        "is:question",
        "closed:no",
        "created:2024-01-01..2024-03-31",
        "created:7d",
        "intitle:printer",
        "microlearn:",
    ):
        assert str(escape(operator)) in html, operator


@pytest.mark.parametrize(
    "path", ["/", "/questions", "/tags", "/search?q=x", "/help/search"]
)
def test_every_page_has_the_search_box(client, path):
    """The top bar holds a labelled search form that works without JavaScript."""
    html = _page(client, path)
    form = re.search(r'<form class="site-search" role="search"[^>]*>', html).group(0)
    assert 'action="/search"' in form and 'method="get"' in form
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert 'name="q"' in html


def test_results_page_runs_a_fixed_number_of_statements(
    client, make_question, make_answer, drain, count_queries
):
    """The results page needs a few SQL statements, however many results it shows."""
    for size in (2, 20):
        for n in range(size):
            question = make_question(title=f"{LAPTOP_TITLE} ({size} {n})")
            make_answer(
                question, body=f"Restart the laptop {size} and use the reset page."
            )
        drain()
        with count_queries() as counter:
            html = _page(client, f"/search?q=laptop+{size}&sort=newest")
        assert html.count('class="question-row search-result"') == min(2 * size, 20)
        assert counter.count <= 10, "\n".join(counter.statements)
