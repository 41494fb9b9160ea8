"""Follow buttons, the My learning link and the /me page through the client."""

from datetime import UTC, datetime, timedelta

from forum.extensions import db
from forum.following import services
from forum.following.models import Follow
from forum.microlearns import services as microlearns
from forum.posts import services as posts


def text_of(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def question_path(question) -> str:
    """Return a question's canonical path."""
    return f"/questions/{question.id}/{posts.slugify(question.title)}"


def test_start_page_needs_a_login(client):
    """/me sends visitors to the login page."""
    response = client.get("/me")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_my_learning_link_only_for_members(client, auth, make_user):
    """The top bar links to My learning for logged-in members only."""
    assert 'href="/me"' not in text_of(client.get("/"))
    auth.login(make_user())
    assert 'href="/me"' in text_of(client.get("/"))
    assert 'href="/me" aria-current="page"' in text_of(client.get("/me"))


def test_follow_button_on_question_page(client, auth, make_user, make_question):
    """The question's Follow form follows it and comes back; then it offers Unfollow."""
    member, question = make_user(), make_question()
    auth.login(member)
    page = text_of(client.get(question_path(question)))
    assert f'action="/following/question/{question.id}"' in page
    assert 'Follow<span class="visually-hidden"> this question</span>' in page
    response = client.post(
        f"/following/question/{question.id}", data={"next": question_path(question)}
    )
    assert response.headers["Location"] == question_path(question)
    page = text_of(client.get(question_path(question)))
    assert 'Unfollow<span class="visually-hidden"> this question</span>' in page
    assert f'action="/following/question/{question.id}/delete"' in page
    client.post(f"/following/question/{question.id}/delete")
    assert not services.is_following(member, "question", question.id)


def test_follow_button_for_visitors_leads_to_login(client, make_question):
    """Visitors see a Follow link that asks them to log in first."""
    question = make_question()
    page = text_of(client.get(question_path(question)))
    assert "(log in first)" in page
    assert f'action="/following/question/{question.id}"' not in page


def test_follow_buttons_on_tag_and_microlearn_pages(
    client, auth, make_user, make_question, make_microlearn
):
    """Tagged question lists and microlearn pages have their Follow buttons."""
    question = make_question(tags="dementia")
    item = make_microlearn(key="dementia-care-101")
    auth.login(make_user())
    tag_page = text_of(client.get("/questions/tagged/dementia"))
    assert f'action="/following/tag/{question.tags[0].id}"' in tag_page
    assert "the tag dementia" in tag_page
    item_page = text_of(client.get("/learn/dementia-care-101"))
    assert f'action="/following/microlearn/{item.id}"' in item_page


def test_follow_ignores_an_outside_next(client, auth, make_user, make_question):
    """A next address off the site is ignored: the button returns to /me."""
    question = make_question()
    auth.login(make_user())
    response = client.post(
        f"/following/question/{question.id}", data={"next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/me"


def test_following_something_missing_is_404(client, auth, make_user):
    """Following an unknown kind or target answers 404, not 500."""
    auth.login(make_user())
    assert client.post("/following/user/1").status_code == 404
    assert client.post("/following/question/424242").status_code == 404


def test_follow_a_shared_playlist_through_its_page(client, auth, make_user):
    """The Follow form of a link-shared playlist carries its token."""
    playlist = microlearns.create_playlist(make_user(), "By link", "", "link")
    member = make_user()
    auth.login(member)
    page = text_of(client.get(f"/playlists/shared/{playlist.share_token}"))
    assert f'name="token" value="{playlist.share_token}"' in page
    client.post(
        f"/following/playlist/{playlist.id}", data={"token": playlist.share_token}
    )
    assert services.is_following(member, "playlist", playlist.id)


def test_start_page_shows_its_sections(
    client, auth, make_user, make_question, make_microlearn
):
    """/me shows news, questions to answer, playlists with progress and follows."""
    member, asker = make_user(), make_user()
    old = make_question(author=asker, tags="dementia")
    services.follow(member, "tag", old.tags[0].id)
    auth.login(member)
    client.get("/me")
    services.mark_start_page_seen(member, now=datetime.now(UTC) - timedelta(minutes=1))
    news = make_question(
        author=asker, title="Is there a new dementia hoist policy?", tags="dementia"
    )
    mine = microlearns.create_playlist(member, "Night shift basics")
    item = microlearns.add_to_playlist(member, mine, microlearn=make_microlearn())
    microlearns.mark_item_done(member, item, True)
    page = text_of(client.get("/me"))
    assert "New questions in your tags" in page and news.title in page
    assert "Questions you could answer" in page and old.title in page
    assert "Night shift basics" in page and "1 of 1 done" in page
    assert (
        "You follow" in page
        and 'Unfollow<span class="visually-hidden"> the tag dementia' in page
    )
    client.post("/me/seen")
    assert "Nothing new since then." in text_of(client.get("/me"))


def test_start_page_for_a_newcomer(client, auth, make_user):
    """A member who follows nothing is told how to start."""
    auth.login(make_user())
    page = text_of(client.get("/me"))
    assert "You follow nothing yet." in page
    assert "No playlists yet." in page


def _grow(member, asker, n, make_question, make_answer, make_microlearn, curator):
    """Add n of everything /me shows for the member."""
    tag_question = make_question(author=asker, tags="dementia")
    services.follow(member, "tag", tag_question.tags[0].id)
    item = make_microlearn(tags="dementia")
    services.follow(member, "microlearn", item.id)
    theirs = microlearns.create_playlist(asker, "Theirs", "", "public")
    services.follow(member, "playlist", theirs.id)
    mine = microlearns.create_playlist(member, "Mine")
    for _ in range(n):
        # Each by a different member, so a lazily loaded author would cost a query.
        question = make_question(tags="dementia")
        services.follow(member, "question", question.id)
        make_answer(question)
        make_question(tags="dementia")
        added = microlearns.add_to_playlist(asker, theirs, microlearn=make_microlearn())
        microlearns.add_to_playlist(member, mine, post=question)
        microlearns.mark_item_done(member, added, True)
    return mine


def test_start_page_loads_in_a_fixed_number_of_statements(
    client,
    auth,
    make_user,
    make_question,
    make_answer,
    make_microlearn,
    curator,
    count_queries,
):
    """/me costs the same number of SQL statements with 1 or 4 of everything."""
    member, asker = make_user(), make_user()
    auth.login(member)
    client.get("/me")
    services.mark_start_page_seen(member, now=datetime.now(UTC) - timedelta(minutes=5))
    counts = []
    for n in (1, 3):
        _grow(member, asker, n, make_question, make_answer, make_microlearn, curator)
        # Nothing cached in the session: every row the page needs is loaded.
        db.session.expunge_all()
        with count_queries() as counter:
            response = client.get("/me")
        assert response.status_code == 200
        counts.append(counter.count)
    page = text_of(response)
    assert page.count("New answers on questions you follow") == 1
    assert "Added to playlists you follow" in page
    assert counts[0] == counts[1], counts
    assert db.session.query(Follow).filter_by(user_id=member.id).count() > 8
