"""Question, answer, comment, revision and tag pages through the HTTP client."""

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from forum.extensions import db, utcnow
from forum.posts import services
from forum.posts.models import Post

BODY = "Here is enough detail to make a real question body for the test."


def url_of(question) -> str:
    """Return a question's canonical path."""
    return f"/questions/{question.id}/{services.slugify(question.title)}"


def test_question_url_redirects_to_canonical_slug(client, make_question):
    """A wrong or missing slug redirects permanently to the canonical URL."""
    question = make_question(title="How do I book annual leave?")
    for path in (f"/questions/{question.id}", f"/questions/{question.id}/wrong-slug"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(
            f"/questions/{question.id}/how-do-i-book-annual-leave"
        )
    assert client.get(url_of(question)).status_code == 200


def test_unknown_question_is_404(client):
    """A question that does not exist is a 404 page."""
    assert client.get("/questions/424242").status_code == 404


# Statements a member's question page may run. The first view of the day and hour
# also writes: last seen, the visit day, the counted view (a read, an update and
# an insert) and the view-badge check. Every view reads the question, its tags,
# its answers, their comments, the viewer's votes, the unread count, and up to
# three small reads for the side boxes (microlearn card or suggestions, follow
# state, the viewer's playlists).
FIRST_VIEW_BUDGET = 15
REPEAT_VIEW_BUDGET = 11


@pytest.mark.parametrize("answers", [1, 30])
def test_question_page_runs_a_fixed_number_of_statements(
    app, client, auth, make_question, make_answer, make_user, count_queries, answers
):
    """A member's question page runs a bounded number of statements at any size."""
    viewer = make_user()
    question = make_question()
    for i in range(answers):
        answer = make_answer(question, author=make_user())
        services.add_comment(answer.author, answer, f"Comment number {i} on it.")
    services.add_comment(question.author, question, "A comment on the question itself.")
    auth.login(viewer)
    viewer.last_seen_at -= timedelta(hours=1)  # the visit also updates "last seen"
    db.session.commit()
    for visit, budget in (("first", FIRST_VIEW_BUDGET), ("repeat", REPEAT_VIEW_BUDGET)):
        with count_queries() as counter:
            response = client.get(url_of(question))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert page.count('class="post post-answer') == answers
        assert counter.count <= budget, f"{visit} view:\n" + "\n".join(
            counter.statements
        )


def test_question_page_statement_count_does_not_grow(
    client, make_question, make_answer, make_user, count_queries
):
    """A question with 30 answers needs exactly as many statements as one with 1."""
    counts = []
    for answers in (1, 30):
        question = make_question()
        for _ in range(answers):
            answer = make_answer(question, author=make_user())
            services.add_comment(answer.author, answer, "A comment long enough here.")
        with count_queries() as counter:
            assert client.get(url_of(question)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_question_page_shows_answers_accepted_first_then_score(
    client, make_question, make_answer, make_user
):
    """Answers are sorted accepted first, then by score, then by age."""
    asker = make_user()
    question = make_question(author=asker)
    now = utcnow()
    oldest = make_answer(question, now=now - timedelta(hours=3))
    best = make_answer(question, now=now - timedelta(hours=2))
    accepted = make_answer(question, now=now - timedelta(hours=1))
    best.score = 3
    db.session.commit()
    services.accept_answer(asker, accepted)
    page = client.get(url_of(question)).get_data(as_text=True)
    order = [int(n) for n in re.findall(r'id="answer-(\d+)"', page)]
    assert order == [accepted.id, best.id, oldest.id]
    assert "Accepted" in page


def test_views_count_once_per_viewer(client, make_question):
    """Reloading a question does not inflate its view count."""
    question = make_question()
    for _ in range(3):
        client.get(url_of(question))
    db.session.refresh(question)
    assert question.view_count == 1


def test_question_list_shows_what_a_row_needs(
    client, make_question, make_answer, make_user
):
    """Each row shows score, answers (accepted marked), views, tags, author and age."""
    asker = make_user(display_name="Row Author")
    question = make_question(
        author=asker, title="Where are the fire exits listed?", tags="safety"
    )
    answer = make_answer(question)
    services.accept_answer(asker, answer)
    page = client.get("/questions").get_data(as_text=True)
    row = page[page.index('class="question-row"') :]
    row = row[: row.index("</li>\n  </ol>") if "</li>\n  </ol>" in row else len(row)]
    assert "votes" in row and "stat-accepted" in row and "views" in row
    assert "Row Author" in row and ">safety<" in row
    assert re.search(r"<time datetime=\"[^\"]+Z\" title=\"[^\"]+UTC\">", row)


@pytest.mark.parametrize("sort", ["newest", "active", "unanswered", "score", "bogus"])
def test_question_list_sorts_render(client, make_question, sort):
    """Every sort renders, and an unknown sort falls back to newest."""
    make_question()
    response = client.get(f"/questions?sort={sort}")
    assert response.status_code == 200
    expected = sort if sort != "bogus" else "newest"
    assert re.search(
        rf'sort={expected}" aria-current="true"', response.get_data(as_text=True)
    )


def test_question_list_paginates_by_50(client, make_user):
    """The list shows 50 questions a page and links to the next page."""
    author = make_user(reputation=300)
    for i in range(51):
        services.ask_question(author, f"Numbered question title {i:03d}", BODY, "bulk")
    first = client.get("/questions").get_data(as_text=True)
    assert first.count('class="question-row"') == 50
    assert "page=2" in first
    second = client.get("/questions?page=2").get_data(as_text=True)
    assert second.count('class="question-row"') == 1
    assert client.get("/questions?page=abc").status_code == 200


def test_tagged_list_and_tag_pages(client, make_question, make_user):
    """/questions/tagged/<tag> filters; /tags lists, sorts and filters by prefix."""
    vpn = make_question(tags="vpn", title="Why does the VPN drop at noon?")
    other = make_question(tags="retail", title="How do refunds without receipt work?")
    page = client.get("/questions/tagged/vpn").get_data(as_text=True)
    assert vpn.title in page and other.title not in page
    assert (
        client.get("/questions?tag=vpn")
        .headers["Location"]
        .endswith("/questions/tagged/vpn?sort=newest")
    )
    assert client.get("/questions/tagged/nope").status_code == 404
    tags_page = client.get("/tags?sort=name&q=vp").get_data(as_text=True)
    assert ">vpn<" in tags_page and ">retail<" not in tags_page
    assert client.get("/tags/vpn").status_code == 200


def test_moderators_edit_tag_excerpt_and_wiki(client, auth, make_question, make_user):
    """A moderator edits a tag's excerpt and Markdown wiki; members may not."""
    make_question(tags="excel")
    auth.login(make_user())
    assert client.get("/tags/excel/edit").status_code == 403
    auth.logout()
    auth.login(make_user(role="moderator"))
    response = client.post(
        "/tags/excel/edit", data={"excerpt": "Spreadsheets.", "wiki": "Use **tables**."}
    )
    assert response.status_code == 302
    page = client.get("/tags/excel").get_data(as_text=True)
    assert "Spreadsheets." in page and "<strong>tables</strong>" in page


def test_ask_requires_login_and_posts(client, auth, make_user):
    """Asking needs a login; a valid question lands on its page."""
    assert client.get("/questions/ask").headers["Location"].startswith("/login")
    auth.login(make_user(reputation=300))
    response = client.post(
        "/questions/ask",
        data={
            "title": "How do I request a new badge?",
            "body": BODY,
            "tags": "onboarding",
        },
    )
    assert response.status_code == 302
    assert "/questions/" in response.headers["Location"]
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "How do I request a new badge?" in page.get_data(as_text=True)


def test_ask_errors_keep_what_was_typed(client, auth, make_user):
    """An invalid question shows field errors and keeps every field's text."""
    auth.login(make_user())
    response = client.post(
        "/questions/ask",
        data={"title": "Too short", "body": "My typed <body> text", "tags": "bad_tag"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Too short"' in page
    assert "My typed &lt;body&gt; text</textarea>" in page
    assert 'value="bad_tag"' in page
    assert "Use at least 15 characters; you have 9." in page
    assert 'aria-invalid="true"' in page


def test_answer_and_comment_through_pages(client, auth, make_question, make_user):
    """Members answer and comment from the question page."""
    question = make_question()
    auth.login(make_user(reputation=50))
    response = client.post(f"/questions/{question.id}/answer", data={"body": BODY})
    assert response.status_code == 302 and "#answer-" in response.headers["Location"]
    response = client.post(
        f"/posts/{question.id}/comments", data={"body": "Have you tried **rebooting**?"}
    )
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    page = client.get(url_of(question)).get_data(as_text=True)
    assert BODY in page and "<strong>rebooting</strong>" in page


def test_bad_answer_and_comment_keep_text(client, auth, make_question, make_user):
    """A too-short answer or comment is shown again with its text and a message."""
    question = make_question()
    auth.login(make_user())
    response = client.post(
        f"/questions/{question.id}/answer", data={"body": "Too short"}
    )
    assert response.status_code == 422
    assert "Too short</textarea>" in response.get_data(as_text=True)
    response = client.post(f"/posts/{question.id}/comments", data={"body": "short"})
    assert response.status_code == 422
    assert "short</textarea>" in response.get_data(as_text=True)


def _tag(page: str, element_id: str) -> str:
    """Return the opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', page)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def test_a_too_short_answer_stays_in_the_thread(
    client, auth, make_question, make_answer, make_user
):
    """A too-short answer re-renders the question page: thread, text, error, focus."""
    question = make_question(title="Where is the spare key to the medicine room?")
    make_answer(question, body="The duty manager keeps it in the locked drawer.")
    auth.login(make_user())
    response = client.post(
        f"/questions/{question.id}/answer", data={"body": "Ask <Sam>"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<h1 id="question-title">Where is the spare key' in page
    assert "The duty manager keeps it in the locked drawer." in page
    assert "Ask &lt;Sam&gt;</textarea>" in page
    assert "Use at least 30 characters; you have 9." in page
    field = _tag(page, "body")
    assert 'aria-invalid="true"' in field and "autofocus" in field
    assert "body-error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert 'id="body-error"' in page
    # Nothing was posted, and the other forms on the page stay empty and closed.
    assert question.answer_count == 1
    assert '<details class="comment-compose" open>' not in page


def test_a_too_short_comment_stays_in_the_thread(
    client, auth, make_question, make_answer, make_user
):
    """A too-short comment re-renders the thread with that post's form open."""
    question = make_question(title="Who signs off overtime on the night shift?")
    answer = make_answer(question, body="The night coordinator signs it on the rota.")
    auth.login(make_user(reputation=50))
    response = client.post(f"/posts/{answer.id}/comments", data={"body": "Which?"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Who signs off overtime on the night shift?" in page
    assert "The night coordinator signs it on the rota." in page
    assert page.count('<details class="comment-compose" open>') == 1
    field = _tag(page, f"comment-body-{answer.id}")
    assert 'aria-invalid="true"' in field and "autofocus" in field
    assert f"comment-error-{answer.id}" in field
    assert f'id="comment-error-{answer.id}"' in page
    assert "Use at least 15 characters; you have 6." in page
    assert "Which?</textarea>" in page
    # The question's own comment form and the answer form stay empty.
    question_field = _tag(page, f"comment-body-{question.id}")
    assert "aria-invalid" not in question_field
    assert "Which?" not in page.split('id="your-answer"')[1]


def test_posting_a_comment_confirms_it(client, auth, make_question, make_user):
    """A posted comment gets the same confirmation as questions and answers."""
    question = make_question()
    auth.login(make_user(reputation=50))
    response = client.post(
        f"/posts/{question.id}/comments",
        data={"body": "Have you asked the duty manager?"},
        follow_redirects=True,
    )
    assert "Your comment is posted." in response.get_data(as_text=True)


def test_comment_page_without_restored_text_goes_to_the_thread(
    client, auth, make_question, make_answer, make_user
):
    """GET of a comment form's URL goes to the post on the question page."""
    question = make_question()
    answer = make_answer(question)
    auth.login(make_user())
    location = client.get(f"/posts/{answer.id}/comments").headers["Location"]
    assert location.endswith(f"{url_of(question)}#answer-{answer.id}")


def test_restored_comment_text_opens_in_the_thread(
    client, auth, make_question, make_answer, make_user
):
    """Text kept from an expired form comes back in its comment form in the thread."""
    from forum.accounts import services as accounts

    question = make_question()
    answer = make_answer(question)
    member = make_user()
    auth.login(member)
    path = f"/posts/{answer.id}/comments"
    token = accounts.stash_form(path, {"body": "Kept across the expiry."}, member)
    response = client.get(f"{path}?restore={token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert question.title in page
    field = _tag(page, f"comment-body-{answer.id}")
    assert "autofocus" in field and "aria-invalid" not in field
    assert "Kept across the expiry.</textarea>" in page


def test_restored_answer_text_opens_in_the_thread(
    client, auth, make_question, make_user
):
    """Text kept from an expired answer form comes back in the thread's answer form."""
    from forum.accounts import services as accounts

    question = make_question()
    member = make_user()
    auth.login(member)
    path = f"/questions/{question.id}/answer"
    token = accounts.stash_form(path, {"body": "My kept answer text."}, member)
    response = client.get(f"{path}?restore={token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<h1 id="question-title">{question.title}' in page
    assert "My kept answer text.</textarea>" in page


# ---- accepted answers ----


def test_authors_see_why_their_accepted_answer_has_no_delete_button(
    client, auth, make_question, make_answer, make_user
):
    """An accepted answer's author gets a note instead of Delete, and a POST is 403."""
    asker = make_user()
    question = make_question(author=asker)
    answer = make_answer(question)
    services.accept_answer(asker, answer)
    auth.login(answer.author)
    page = client.get(url_of(question)).get_data(as_text=True)
    article = page[page.index(f'id="answer-{answer.id}"') :]
    assert "Accepted answers can't be deleted by their author." in article
    assert f"/posts/{answer.id}/delete" not in article
    response = client.post(f"/posts/{answer.id}/delete")
    assert response.status_code == 403
    assert "Accepted answers can&#39;t be deleted by their author." in (
        response.get_data(as_text=True)
    )
    db.session.refresh(answer)
    assert not answer.is_deleted


def test_a_deleted_accepted_answer_shows_nowhere_as_accepted_until_undeleted(
    client, auth, make_question, make_answer, make_user
):
    """A moderator's delete hides the acceptance everywhere; undelete restores it."""
    asker, mod = make_user(), make_user(role="moderator")
    question = make_question(author=asker, title="How do I claim mileage for visits?")
    answer = make_answer(question)
    services.accept_answer(asker, answer)
    auth.login(mod)
    assert client.post(f"/posts/{answer.id}/delete").status_code == 302
    page = client.get(url_of(question)).get_data(as_text=True)
    assert "is-deleted" in page and "is-accepted" not in page
    assert "accepted-badge" not in page
    auth.logout()
    assert "stat-accepted" not in client.get("/questions").get_data(as_text=True)
    unanswered = client.get("/questions?sort=unanswered").get_data(as_text=True)
    assert question.title in unanswered

    auth.login(mod)
    client.post(f"/posts/{answer.id}/undelete")
    auth.logout()
    page = client.get(url_of(question)).get_data(as_text=True)
    assert "is-accepted" in page and "accepted-badge" in page
    assert "stat-accepted" in client.get("/questions").get_data(as_text=True)
    unanswered = client.get("/questions?sort=unanswered").get_data(as_text=True)
    assert question.title not in unanswered


# ---- lists ----


def test_a_page_past_the_last_says_so(client, make_question):
    """Past the last page the list names the last page and links to it."""
    make_question(tags="vpn")
    for path in ("/questions?page=99", "/questions/tagged/vpn?page=99", "/?page=99"):
        page = client.get(path).get_data(as_text=True)
        assert "There is no page 99; the last page is 1." in page, path
        assert "page=1" in page, path
        assert "No questions here yet" not in page, path


def test_an_empty_site_invites_the_first_question(client):
    """A site with no questions says so and invites the first one, in every sort."""
    for sort in services.SORTS:
        page = client.get(f"/questions?sort={sort}").get_data(as_text=True)
        assert "No questions here yet. Be the first to ask." in page, sort
        assert "There is no page" not in page and "good answer" not in page, sort


def test_no_unanswered_questions_is_praised(client, make_question, make_answer):
    """When every question has a good answer the unanswered list says so."""
    question = make_question()
    make_answer(question).score = 1
    db.session.commit()
    page = client.get("/questions?sort=unanswered").get_data(as_text=True)
    assert "Every question here has a good answer." in page


@pytest.mark.parametrize(
    ("sort", "title"),
    [
        ("newest", "Newest questions"),
        ("active", "Recently active questions"),
        ("unanswered", "Unanswered questions"),
        ("score", "Highest-scored questions"),
    ],
)
def test_list_titles_read_naturally(client, make_question, sort, title):
    """Each sort has a natural title, also when the list is of one tag."""
    make_question(tags="vpn")
    page = client.get(f"/questions?sort={sort}").get_data(as_text=True)
    assert f"<title>{title} · Knowhow</title>" in page
    assert f"<h1>{title}</h1>" in page
    page = client.get(f"/questions/tagged/vpn?sort={sort}").get_data(as_text=True)
    assert f"<title>{title} tagged vpn · Knowhow</title>" in page
    assert re.search(rf"<h1>{title} tagged <span[^>]*>vpn</span></h1>", page)


def test_ask_and_edit_forms_describe_fields_alike(
    client, auth, make_question, make_answer, make_user
):
    """Asking and editing label and explain the title, body and tags the same way."""
    from forum.posts import forms

    author = make_user()
    question = make_question(author=author)
    answer = make_answer(question, author=author)
    auth.login(author)
    ask = client.get("/questions/ask").get_data(as_text=True)
    edit = client.get(f"/posts/{question.id}/edit").get_data(as_text=True)
    for page in (ask, edit):
        assert f'<label class="label" for="body">{forms.BODY_LABEL}</label>' in page
        for help_text in (forms.TITLE_HELP, forms.BODY_HELP, forms.TAGS_HELP):
            assert str(escape(help_text)) in page
    edit_answer = client.get(f"/posts/{answer.id}/edit").get_data(as_text=True)
    assert str(escape(forms.ANSWER_HELP)) in edit_answer
    assert forms.BODY_HELP not in edit_answer


def test_accept_toggles_through_the_page(
    client, auth, make_question, make_answer, make_user
):
    """The asker's Accept button accepts, and pressing it again removes acceptance."""
    asker = make_user()
    question = make_question(author=asker)
    answer = make_answer(question)
    auth.login(asker)
    client.post(f"/answers/{answer.id}/accept")
    db.session.refresh(question)
    assert question.accepted_answer_id == answer.id
    client.post(f"/answers/{answer.id}/accept")
    db.session.refresh(question)
    assert question.accepted_answer_id is None


def test_others_cannot_accept(client, auth, make_question, make_answer, make_user):
    """Someone who did not ask gets 403 when accepting."""
    question = make_question()
    answer = make_answer(question)
    auth.login(make_user())
    assert client.post(f"/answers/{answer.id}/accept").status_code == 403


def test_edit_history_diff_and_rollback_pages(client, auth, make_question, make_user):
    """Edits show in the history with a diff, and rollback adds a revision."""
    author = make_user()
    question = make_question(
        author=author, body="The first version of this question body."
    )
    auth.login(author)
    assert client.get(f"/posts/{question.id}/edit").status_code == 200
    response = client.post(
        f"/posts/{question.id}/edit",
        data={
            "title": question.title,
            "body": "The second version of this question body.",
            "tags": "onboarding",
            "summary": "Reworded",
        },
    )
    assert response.status_code == 302
    history = client.get(f"/posts/{question.id}/revisions").get_data(as_text=True)
    assert "<del>first</del>" in history and "<ins>second</ins>" in history
    assert "Reworded" in history
    assert client.get(f"/posts/{question.id}/revisions?a=1&b=99").status_code == 404
    client.post(f"/posts/{question.id}/rollback/1")
    db.session.refresh(question)
    assert question.body_markdown == "The first version of this question body."
    assert len(services.revisions_of(question)) == 3


def test_strangers_cannot_open_the_edit_page(client, auth, make_question, make_user):
    """A member without the edit privilege gets 403 on someone else's post."""
    question = make_question()
    auth.login(make_user())
    assert client.get(f"/posts/{question.id}/edit").status_code == 403


def test_delete_and_undelete_through_pages(client, auth, make_question, make_user):
    """A deleted question is 404 for others and visible, marked, for its author."""
    author = make_user()
    question = make_question(author=author)
    auth.login(author)
    client.post(f"/posts/{question.id}/delete")
    page = client.get(url_of(question)).get_data(as_text=True)
    assert "Only its author and moderators see it" in page
    auth.logout()
    assert client.get(url_of(question)).status_code == 404
    assert question.title not in client.get("/questions").get_data(as_text=True)
    auth.login(author)
    client.post(f"/posts/{question.id}/undelete")
    auth.logout()
    assert client.get(url_of(question)).status_code == 200


def test_answer_permalink_redirects_to_its_place(client, make_question, make_answer):
    """/posts/<id> of an answer goes to the question page at that answer."""
    question = make_question()
    answer = make_answer(question)
    location = client.get(f"/posts/{answer.id}").headers["Location"]
    assert location.endswith(f"{url_of(question)}#answer-{answer.id}")


def test_preview_renders_sanitised_markdown(client, auth, make_user):
    """The live preview renders Markdown through the one sanitiser, for members."""
    assert client.post("/posts/preview", data={"text": "hi"}).status_code == 302
    auth.login(make_user())
    response = client.post(
        "/posts/preview", data={"text": "**hi** <script>alert(1)</script>"}
    )
    html = response.get_json()["html"]
    assert "<strong>hi</strong>" in html and "<script" not in html


def test_stored_html_is_rendered_at_save_time(make_question):
    """Posts store both their Markdown source and its sanitised HTML."""
    question = make_question(body="Look: [link](javascript:alert(1)) and *this*, ok?")
    stored = db.session.get(Post, question.id)
    assert stored.body_markdown.startswith("Look:")
    assert "<em>this</em>" in stored.body_html and "javascript:" not in stored.body_html


def test_forms_require_csrf_tokens(make_app, make_user):
    """State-changing requests without a CSRF token are refused."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    response = client.post("/posts/preview", data={"text": "hi"})
    assert response.status_code == 400


def test_question_url_of_an_answer_goes_to_the_answer(
    client, make_question, make_answer
):
    """/questions/<id> with an answer's id redirects to that answer."""
    question = make_question()
    answer = make_answer(question)
    response = client.get(f"/questions/{answer.id}", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == url_of(question)
