"""Playlists: privacy, share links, order, notes, copies, progress, featuring, pages."""

import pytest

from forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum.extensions import db
from forum.following import services as following
from forum.following.models import Follow
from forum.microlearns import services
from forum.microlearns.models import Playlist, PlaylistItem
from forum.posts import services as posts


def text_of(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def titles(playlist) -> list[str]:
    """Return the titles of a playlist's items in their order."""
    page = services.load_playlist_page(playlist, playlist.owner)
    return [(i.microlearn or i.post).title for i in page.items]


@pytest.fixture
def owner(make_user):
    """Return the member who owns the playlists under test."""
    return make_user(display_name="Olu Owner")


@pytest.fixture
def make_playlist(owner):
    """Return a factory that starts playlists, by default the owner's and private."""

    def factory(title="Safe moving and handling", visibility="private", user=None):
        """Start a playlist."""
        return services.create_playlist(user or owner, title, "", visibility)

    return factory


# ---- rules ----


def test_new_playlist_is_private_and_empty(make_playlist, owner):
    """A new playlist belongs to its maker, is private and has no items."""
    playlist = make_playlist()
    assert playlist.owner_id == owner.id
    assert playlist.visibility == "private"
    assert playlist.item_count == 0
    assert len(playlist.share_token) >= 24


@pytest.mark.parametrize(
    ("title", "description", "visibility", "field"),
    [
        ("ab", "", "private", "title"),
        ("x" * 121, "", "private", "title"),
        ("A fine title", "d" * 501, "private", "description"),
        ("A fine title", "", "everyone", "visibility"),
    ],
)
def test_playlist_fields_are_checked(owner, title, description, visibility, field):
    """Titles are 3-120 characters, descriptions up to 500, visibility one of three."""
    with pytest.raises(ValidationError) as error:
        services.create_playlist(owner, title, description, visibility)
    assert field in error.value.errors


def test_visitors_cannot_make_playlists():
    """Only a logged-in member makes playlists."""
    with pytest.raises(PermissionDenied):
        services.create_playlist(None, "My playlist")


def test_private_playlist_is_not_found_for_anyone_else(make_playlist, make_user, owner):
    """A private playlist is the owner's alone: to others it does not exist."""
    playlist = make_playlist()
    moderator = make_user(role="moderator")
    assert services.get_playlist(playlist.id, owner) is playlist
    for viewer in (None, make_user(), moderator):
        with pytest.raises(NotFound):
            services.get_playlist(playlist.id, viewer)
    with pytest.raises(NotFound):
        services.get_playlist(playlist.id, make_user(), playlist.share_token)
    with pytest.raises(NotFound):
        services.get_shared_playlist(playlist.share_token, None)


def test_shared_by_link_needs_the_token(make_playlist, make_user):
    """A playlist shared by link opens with its token only, never by its id alone."""
    playlist = make_playlist(visibility="link")
    other = make_user()
    with pytest.raises(NotFound):
        services.get_playlist(playlist.id, other)
    with pytest.raises(NotFound):
        services.get_playlist(playlist.id, other, "not-the-token")
    with pytest.raises(NotFound):
        services.get_shared_playlist(playlist.share_token[:-1] + "!", None)
    assert services.get_playlist(playlist.id, other, playlist.share_token) is playlist
    assert services.get_shared_playlist(playlist.share_token, None) is playlist


def test_public_playlist_is_seen_by_everyone(make_playlist, make_user):
    """Anyone, logged in or not, sees a public playlist."""
    playlist = make_playlist(visibility="public")
    assert services.get_playlist(playlist.id, None) is playlist
    assert services.get_playlist(playlist.id, make_user()) is playlist


def test_new_share_link_retires_the_old_one(
    make_playlist, make_user, make_microlearn, owner
):
    """After a new link, the old token opens nothing and its followers are dropped."""
    playlist = make_playlist(visibility="link")
    old = playlist.share_token
    fan = make_user()
    following.follow(fan, "playlist", playlist.id, token=old)
    services.renew_share_link(owner, playlist)
    assert playlist.share_token != old
    with pytest.raises(NotFound):
        services.get_shared_playlist(old, fan)
    assert services.get_shared_playlist(playlist.share_token, fan) is playlist
    assert not following.is_following(fan, "playlist", playlist.id)


def test_items_keep_their_order_and_move_one_place(
    make_playlist, make_microlearn, make_question, owner
):
    """Items are added at the end; up and down swap neighbours; the ends stay put."""
    playlist = make_playlist()
    first = make_microlearn(title="First, the microlearn")
    second = make_question(title="Second, how do I use the hoist alone?")
    third = make_microlearn(title="Third, another microlearn")
    items = [
        services.add_to_playlist(owner, playlist, microlearn=first),
        services.add_to_playlist(owner, playlist, post=second),
        services.add_to_playlist(owner, playlist, microlearn=third),
    ]
    assert playlist.item_count == 3
    assert titles(playlist) == [first.title, second.title, third.title]
    services.move_playlist_item(owner, items[2], "up")
    assert titles(playlist) == [first.title, third.title, second.title]
    services.move_playlist_item(owner, items[0], "down")
    assert titles(playlist) == [third.title, first.title, second.title]
    services.move_playlist_item(owner, items[2], "up")
    services.move_playlist_item(owner, items[1], "down")
    assert titles(playlist) == [third.title, first.title, second.title]
    with pytest.raises(ValidationError):
        services.move_playlist_item(owner, items[0], "sideways")


def test_removing_an_item_keeps_the_rest_in_order(
    make_playlist, make_microlearn, owner
):
    """Removing an item leaves the others in order and the count right."""
    playlist = make_playlist()
    a, b, c = (make_microlearn(title=f"Item {n} of three") for n in "abc")
    services.add_to_playlist(owner, playlist, microlearn=a)
    middle = services.add_to_playlist(owner, playlist, microlearn=b)
    services.add_to_playlist(owner, playlist, microlearn=c)
    services.remove_playlist_item(owner, middle)
    assert titles(playlist) == [a.title, c.title]
    assert playlist.item_count == 2


def test_note_is_optional_and_at_most_300_characters(
    make_playlist, make_microlearn, owner
):
    """A note may be empty or up to 300 characters, when adding and when editing."""
    playlist = make_playlist()
    with pytest.raises(ValidationError) as error:
        services.add_to_playlist(
            owner, playlist, microlearn=make_microlearn(), note="n" * 301
        )
    assert "note" in error.value.errors
    item = services.add_to_playlist(
        owner, playlist, microlearn=make_microlearn(), note="  Watch   this first. "
    )
    assert item.note == "Watch this first."
    assert services.edit_item_note(owner, item, "m" * 300).note == "m" * 300
    with pytest.raises(ValidationError):
        services.edit_item_note(owner, item, "m" * 301)
    assert services.edit_item_note(owner, item, "").note == ""


def test_an_item_is_in_a_playlist_once(
    make_playlist, make_microlearn, make_question, owner
):
    """Adding the same microlearn or question twice is a conflict."""
    playlist = make_playlist()
    item, question = make_microlearn(), make_question()
    services.add_to_playlist(owner, playlist, microlearn=item)
    services.add_to_playlist(owner, playlist, post=question)
    with pytest.raises(Conflict):
        services.add_to_playlist(owner, playlist, microlearn=item)
    with pytest.raises(Conflict):
        services.add_to_playlist(owner, playlist, post=question)
    assert playlist.item_count == 2


def test_only_questions_and_live_items_join(
    make_playlist, make_microlearn, make_question, make_answer, owner, curator
):
    """Retired microlearns, deleted questions and answers cannot be added."""
    playlist = make_playlist()
    retired = make_microlearn()
    services.retire_microlearn(curator, retired)
    with pytest.raises(Conflict):
        services.add_to_playlist(owner, playlist, microlearn=retired)
    question = make_question()
    answer = make_answer(question)
    with pytest.raises(NotFound):
        services.add_to_playlist(owner, playlist, post=answer)
    posts.delete_post(question.author, question)
    with pytest.raises(NotFound):
        services.add_to_playlist(owner, playlist, post=question)


def test_only_the_owner_changes_a_playlist(
    make_playlist, make_microlearn, make_user, owner
):
    """Others may not add, move, annotate, remove, edit or delete."""
    playlist = make_playlist(visibility="public")
    item = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    other = make_user()
    for attempt in (
        lambda: services.add_to_playlist(other, playlist, microlearn=make_microlearn()),
        lambda: services.move_playlist_item(other, item, "down"),
        lambda: services.edit_item_note(other, item, "Mine now"),
        lambda: services.remove_playlist_item(other, item),
        lambda: services.update_playlist(other, playlist, "Taken", "", "public"),
        lambda: services.delete_playlist(other, playlist),
        lambda: services.renew_share_link(other, playlist),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_add_to_new_playlist_starts_a_private_one(make_microlearn, owner):
    """Adding to a new playlist makes a private playlist holding the item and note."""
    item = services.add_to_new_playlist(
        owner, "Night shift basics", microlearn=make_microlearn(), note="Start here."
    )
    assert item.playlist.title == "Night shift basics"
    assert item.playlist.visibility == "private"
    assert item.playlist.item_count == 1
    assert item.note == "Start here."


def test_add_to_new_playlist_reports_every_problem(make_microlearn, owner):
    """A missing name and a long note are both reported, and nothing is made."""
    with pytest.raises(ValidationError) as error:
        services.add_to_new_playlist(
            owner, "", microlearn=make_microlearn(), note="x" * 301
        )
    assert set(error.value.errors) == {"title", "note"}
    assert db.session.query(Playlist).count() == 0


def test_copy_is_a_private_playlist_with_the_same_items_and_notes(
    make_playlist, make_microlearn, make_question, make_user, owner
):
    """A copy belongs to the copier, is private, and keeps the order and the notes."""
    playlist = make_playlist(visibility="public")
    item, question = make_microlearn(), make_question()
    services.add_to_playlist(owner, playlist, post=question, note="Read the answers.")
    services.add_to_playlist(owner, playlist, microlearn=item, note="Then this.")
    copier = make_user()
    copy = services.copy_playlist(copier, playlist)
    assert copy.owner_id == copier.id and copy.id != playlist.id
    assert copy.visibility == "private"
    assert copy.copied_from_id == playlist.id
    assert copy.title == playlist.title
    page = services.load_playlist_page(copy, copier)
    assert [(i.post_id, i.microlearn_id, i.note) for i in page.items] == [
        (question.id, None, "Read the answers."),
        (None, item.id, "Then this."),
    ]
    # The copy is the copier's own: changing it leaves the original alone.
    services.remove_playlist_item(copier, page.items[0])
    assert playlist.item_count == 2 and copy.item_count == 1


def test_duplicating_my_own_playlist_names_the_copy(make_playlist, owner):
    """A copy of my own playlist is called “… (copy)”, within the title limit."""
    assert services.copy_playlist(owner, make_playlist()).title == (
        "Safe moving and handling (copy)"
    )
    long = make_playlist(title="x" * 120)
    assert services.copy_playlist(owner, long).title == "x" * 113 + " (copy)"


def test_copying_needs_sight_of_the_playlist(make_playlist, make_user):
    """Private playlists cannot be copied by others; shared ones need the token."""
    other = make_user()
    with pytest.raises(NotFound):
        services.copy_playlist(other, make_playlist())
    shared = make_playlist(visibility="link")
    with pytest.raises(NotFound):
        services.copy_playlist(other, shared)
    assert (
        services.copy_playlist(other, shared, token=shared.share_token).owner_id
        == other.id
    )
    with pytest.raises(PermissionDenied):
        services.copy_playlist(None, make_playlist(visibility="public"))


def test_progress_is_per_learner(
    make_playlist, make_microlearn, make_question, make_user, owner
):
    """Each learner's ticks are their own; unticking takes one back."""
    playlist = make_playlist(visibility="public")
    items = [
        services.add_to_playlist(owner, playlist, microlearn=make_microlearn()),
        services.add_to_playlist(owner, playlist, post=make_question()),
        services.add_to_playlist(owner, playlist, microlearn=make_microlearn()),
    ]
    ada, ben = make_user(), make_user()
    services.mark_item_done(ada, items[0], True)
    services.mark_item_done(ada, items[1], True)
    services.mark_item_done(ada, items[1], True)
    services.mark_item_done(ben, items[2], True)
    assert services.load_playlist_page(playlist, ada).done == {items[0].id, items[1].id}
    assert services.load_playlist_page(playlist, ben).done == {items[2].id}
    assert services.load_playlist_page(playlist, owner).done == set()
    assert services.load_playlist_page(playlist, None).done == set()
    services.mark_item_done(ada, items[0], False)
    assert services.load_playlist_page(playlist, ada).done_count == 1


def test_progress_follows_the_content_into_copies(
    make_playlist, make_microlearn, make_user, owner
):
    """A microlearn ticked in one playlist shows done in a copy that has it."""
    playlist = make_playlist(visibility="public")
    item = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    learner = make_user()
    services.mark_item_done(learner, item, True)
    copy = services.copy_playlist(learner, playlist)
    assert services.load_playlist_page(copy, learner).done_count == 1


def test_progress_needs_a_member_who_sees_the_playlist(
    make_playlist, make_microlearn, make_user, owner
):
    """Visitors cannot tick; others cannot tick in a playlist they cannot see."""
    playlist = make_playlist()
    item = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    with pytest.raises(PermissionDenied):
        services.mark_item_done(None, item, True)
    with pytest.raises(NotFound):
        services.mark_item_done(make_user(), item, True)


def test_curators_feature_public_playlists_only(
    make_playlist, make_user, curator, owner
):
    """Curators feature public playlists; members cannot; going private unfeatures."""
    playlist = make_playlist(visibility="public")
    with pytest.raises(PermissionDenied):
        services.feature_playlist(make_user(), playlist)
    with pytest.raises(Conflict):
        services.feature_playlist(curator, make_playlist(visibility="link"))
    services.feature_playlist(curator, playlist)
    assert services.featured_playlists() == [playlist]
    services.update_playlist(owner, playlist, playlist.title, "", "private")
    assert services.featured_playlists() == []
    assert playlist.featured_at is None


def test_deleting_a_playlist_takes_items_and_follows(
    make_playlist, make_microlearn, make_user, owner
):
    """Deleting a playlist deletes its items and follows of it (ON DELETE CASCADE)."""
    playlist = make_playlist(visibility="public")
    services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    following.follow(make_user(), "playlist", playlist.id)
    services.delete_playlist(owner, playlist)
    assert db.session.query(PlaylistItem).count() == 0
    assert db.session.query(Follow).count() == 0


def test_a_member_has_at_most_so_many_playlists(
    monkeypatch, make_playlist, make_microlearn, owner
):
    """Beyond the limit, new playlists, additions to new ones and copies are refused."""
    monkeypatch.setattr(services, "PLAYLISTS_MAX", 1)
    playlist = make_playlist()
    with pytest.raises(Conflict):
        make_playlist(title="One too many")
    with pytest.raises(Conflict):
        services.add_to_new_playlist(owner, "Another", microlearn=make_microlearn())
    with pytest.raises(Conflict):
        services.copy_playlist(owner, playlist)


# ---- similar interests ----


@pytest.fixture
def interests(make_user, make_playlist, make_microlearn, make_question, make_answer):
    """Return a member interested in dementia and nutrition, and others' playlists."""
    member = make_user(display_name="Mia Member")
    tagged = make_question(tags="dementia")
    following.follow(member, "tag", tagged.tags[0].id)
    make_answer(make_question(tags="nutrition"), author=member)
    others = make_user(display_name="Otto Other")

    def playlist(title, visibility, *tag_sets, user=others, questions=()):
        """Make a playlist whose microlearns carry the tag sets, then the questions."""
        made = make_playlist(title, visibility, user=user)
        for tags in tag_sets:
            services.add_to_playlist(user, made, microlearn=make_microlearn(tags=tags))
        for question in questions:
            services.add_to_playlist(user, made, post=question)
        return made

    food_question = make_question(tags="nutrition")
    return {
        "member": member,
        "both": playlist("Dementia and food", "public", "dementia nutrition"),
        "one": playlist("Dementia care", "public", "dementia", "dementia"),
        "posts": playlist("Food questions", "public", questions=[food_question]),
        "private": playlist("Private dementia", "private", "dementia nutrition"),
        "own": playlist("My own", "public", "dementia", user=member),
        "unrelated": playlist("Fire safety", "public", "fire"),
    }


def test_similar_playlists_rank_by_tags_in_common(interests):
    """Others' public playlists come by how many tags they share with my interests."""
    found = services.similar_playlists(interests["member"])
    assert [(p.title, common) for p, common in found] == [
        ("Dementia and food", 2),
        ("Dementia care", 1),
        ("Food questions", 1),
    ]


def test_similar_playlists_skip_followed_ones(interests):
    """A playlist I follow already is not suggested again."""
    following.follow(interests["member"], "playlist", interests["both"].id)
    found = [p.title for p, _ in services.similar_playlists(interests["member"])]
    assert "Dementia and food" not in found and "Dementia care" in found


def test_similar_playlists_need_a_signal(interests, make_user):
    """Visitors and members who follow, ask and answer nothing get no suggestions."""
    assert services.similar_playlists(None) == []
    assert services.similar_playlists(make_user()) == []


def test_similar_playlists_take_one_statement(interests, count_queries):
    """The suggestion is one bounded statement, owners included."""
    with count_queries() as counter:
        found = services.similar_playlists(interests["member"], limit=2)
        assert [p.owner.display_name for p, _ in found] == ["Otto Other"] * 2
    assert counter.count == 1


# ---- pages ----


def test_playlist_page_shows_progress_and_checkboxes(
    client, auth, make_playlist, make_microlearn, make_question, make_user, owner
):
    """A learner sees “1 of 2 done” and a pressed tick on what they marked."""
    playlist = make_playlist(visibility="public")
    first = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    services.add_to_playlist(owner, playlist, post=make_question(), note="Read it all.")
    learner = make_user()
    auth.login(learner)
    response = client.post(
        f"/playlists/{playlist.id}/items/{first.id}/done", data={"done": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/playlists/{playlist.id}#item-{first.id}"
    )
    page = text_of(client.get(f"/playlists/{playlist.id}"))
    assert "1 of 2 done" in page
    assert page.count('aria-pressed="true"') == 1
    assert page.count('aria-pressed="false"') == 1
    assert "Read it all." in page


def test_visitors_see_items_without_ticks(
    client, make_playlist, make_microlearn, owner
):
    """Visitors see a public playlist's items and a prompt to log in, no checkboxes."""
    playlist = make_playlist(visibility="public")
    item = make_microlearn()
    services.add_to_playlist(owner, playlist, microlearn=item)
    page = text_of(client.get(f"/playlists/{playlist.id}"))
    assert item.title in page
    assert "aria-pressed" not in page
    assert "to tick off what you have done" in page


def test_private_playlist_page_is_404_to_others(
    client, auth, make_playlist, make_user, owner
):
    """Others, logged in or not, get 404 for a private playlist; the owner sees it."""
    playlist = make_playlist()
    assert client.get(f"/playlists/{playlist.id}").status_code == 404
    auth.login(make_user())
    assert client.get(f"/playlists/{playlist.id}").status_code == 404
    assert client.get(f"/playlists/shared/{playlist.share_token}").status_code == 404
    auth.logout()
    auth.login(owner)
    assert client.get(f"/playlists/{playlist.id}").status_code == 200


def test_shared_link_page_opens_by_token_only(client, make_playlist):
    """A link-shared playlist opens at its token address, not at its id; no indexing."""
    playlist = make_playlist(visibility="link")
    assert client.get(f"/playlists/{playlist.id}").status_code == 404
    assert client.get("/playlists/shared/guessed-token-123").status_code == 404
    response = client.get(f"/playlists/shared/{playlist.share_token}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert playlist.title in text_of(response)


def test_owner_sees_the_share_link(client, auth, make_playlist, owner):
    """The owner of a link-shared playlist sees the full link to pass on."""
    playlist = make_playlist(visibility="link")
    auth.login(owner)
    page = text_of(client.get(f"/playlists/{playlist.id}"))
    assert f"/playlists/shared/{playlist.share_token}" in page
    assert "readonly" in page


def test_move_buttons_reorder_the_playlist(
    client, auth, make_playlist, make_microlearn, owner
):
    """The Move up button, a POST form, moves the item one place up."""
    playlist = make_playlist()
    a = make_microlearn(title="Alpha microlearn item")
    b = make_microlearn(title="Bravo microlearn item")
    services.add_to_playlist(owner, playlist, microlearn=a)
    second = services.add_to_playlist(owner, playlist, microlearn=b)
    auth.login(owner)
    page = text_of(client.get(f"/playlists/{playlist.id}"))
    assert page.index(a.title) < page.index(b.title)
    assert 'Move up<span class="visually-hidden">: Alpha' not in page
    client.post(
        f"/playlists/{playlist.id}/items/{second.id}/move", data={"direction": "up"}
    )
    page = text_of(client.get(f"/playlists/{playlist.id}"))
    assert page.index(b.title) < page.index(a.title)


def test_note_error_keeps_the_typed_note(
    client, auth, make_playlist, make_microlearn, owner
):
    """A note that is too long comes back in its open form with the text and a 422."""
    playlist = make_playlist()
    item = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    auth.login(owner)
    typed = "Careful with the brakes. " * 13
    response = client.post(
        f"/playlists/{playlist.id}/items/{item.id}/note", data={"note": typed}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert typed.strip() in page
    assert "Use at most 300 characters" in page
    assert 'aria-invalid="true"' in page


def test_others_cannot_post_to_the_owner_controls(
    client, auth, make_playlist, make_microlearn, make_user, owner
):
    """Move, note and remove by another member are refused and change nothing."""
    playlist = make_playlist(visibility="public")
    item = services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    auth.login(make_user())
    base = f"/playlists/{playlist.id}/items/{item.id}"
    assert client.post(f"{base}/remove").status_code == 403
    assert client.post(f"{base}/note", data={"note": "x"}).status_code == 403
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 403
    assert client.get(f"/playlists/{playlist.id}/edit").status_code == 403
    assert playlist.item_count == 1


def test_add_to_playlist_form_on_microlearn_page(client, auth, make_microlearn, owner):
    """The microlearn page has an Add to playlist form that can start a new playlist."""
    item = make_microlearn(key="hoist-basics")
    auth.login(owner)
    page = text_of(client.get("/learn/hoist-basics"))
    assert 'action="/playlists/add"' in page and "Add to playlist" in page
    response = client.post(
        "/playlists/add",
        data={
            "microlearn": "hoist-basics",
            "playlist": "new",
            "title": "Hoists",
            "note": "Before your first shift.",
            "next": "/learn/hoist-basics",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/hoist-basics"
    playlist = db.session.query(Playlist).one()
    assert playlist.title == "Hoists" and playlist.owner_id == owner.id
    assert titles(playlist) == [item.title]


def test_add_to_existing_playlist_from_question_page(
    client, auth, make_playlist, make_question, owner
):
    """The question page offers my playlists; choosing one adds the question to it."""
    playlist = make_playlist(title="Questions to read")
    question = make_question()
    auth.login(owner)
    page = text_of(
        client.get(f"/questions/{question.id}/{posts.slugify(question.title)}")
    )
    assert f'<option value="{playlist.id}">Questions to read</option>' in page
    client.post(
        "/playlists/add",
        data={"post": str(question.id), "playlist": str(playlist.id)},
    )
    assert titles(playlist) == [question.title]
    response = client.post(
        "/playlists/add",
        data={"post": str(question.id), "playlist": str(playlist.id), "note": "Again"},
    )
    assert response.status_code == 422
    assert "already in" in text_of(response) and "Again" in text_of(response)


def test_add_to_playlist_error_keeps_what_was_typed(
    client, auth, make_microlearn, make_playlist, owner
):
    """A failed addition re-renders the form with the note and the name kept."""
    make_playlist(title="Existing one")
    make_microlearn(key="fire-drill")
    auth.login(owner)
    response = client.post(
        "/playlists/add",
        data={
            "microlearn": "fire-drill",
            "playlist": "new",
            "title": "",
            "note": "Keep this note",
        },
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Keep this note" in page
    assert "Add a name for the new playlist." in page
    response = client.post(
        "/playlists/add",
        data={"microlearn": "fire-drill", "playlist": "1", "title": "Half typed"},
    )
    assert response.status_code == 422
    assert "Half typed" in text_of(response)
    assert db.session.query(PlaylistItem).count() == 0


def test_add_to_someone_elses_playlist_is_refused(
    client, auth, make_playlist, make_microlearn, make_user
):
    """Posting another member's playlist id adds nothing."""
    theirs = make_playlist(visibility="public")
    make_microlearn(key="fire-drill")
    auth.login(make_user())
    response = client.post(
        "/playlists/add", data={"microlearn": "fire-drill", "playlist": str(theirs.id)}
    )
    assert response.status_code == 403
    assert theirs.item_count == 0


def test_copy_button_makes_my_copy(
    client, auth, make_playlist, make_microlearn, make_user, owner
):
    """Copy to my playlists, a POST form, lands on my new private copy."""
    playlist = make_playlist(visibility="link")
    services.add_to_playlist(owner, playlist, microlearn=make_microlearn())
    copier = make_user()
    auth.login(copier)
    assert client.post(f"/playlists/{playlist.id}/copy").status_code == 404
    response = client.post(
        f"/playlists/{playlist.id}/copy", data={"token": playlist.share_token}
    )
    copy = db.session.query(Playlist).filter_by(owner_id=copier.id).one()
    assert response.headers["Location"] == f"/playlists/{copy.id}"
    page = text_of(client.get(f"/playlists/{copy.id}"))
    assert "0 of 1 done" in page and "Private" in page


def test_new_and_edit_playlist_pages(client, auth, owner):
    """The new and edit forms create and change a playlist, keeping input on errors."""
    auth.login(owner)
    response = client.post("/playlists/new", data={"title": "x", "description": "Kept"})
    assert response.status_code == 422 and "Kept" in text_of(response)
    response = client.post(
        "/playlists/new", data={"title": "Fire safety", "visibility": "public"}
    )
    playlist = db.session.query(Playlist).one()
    assert response.headers["Location"] == f"/playlists/{playlist.id}"
    assert playlist.visibility == "public"
    client.post(
        f"/playlists/{playlist.id}/edit",
        data={"title": "Fire safety at night", "visibility": "link"},
    )
    assert playlist.title == "Fire safety at night" and playlist.visibility == "link"


def test_learn_shows_featured_and_similar_playlists(client, auth, interests, curator):
    """/learn lists featured playlists for all and similar ones for the member."""
    services.feature_playlist(curator, interests["unrelated"])
    page = text_of(client.get("/learn"))
    assert "Featured playlists" in page and "Fire safety" in page
    assert "similar interests" not in page
    auth.login(interests["member"])
    page = text_of(client.get("/learn"))
    assert "Playlists of people with similar interests" in page
    assert "Dementia and food" in page and "2 tags in common" in page
    assert "Private dementia" not in page
    assert "similar interests" not in text_of(client.get("/learn?format=pdf"))


def test_learn_shows_a_featured_playlist_once(client, auth, interests, curator):
    """A featured playlist is not suggested again as similar on the same page."""
    services.feature_playlist(curator, interests["both"])
    auth.login(interests["member"])
    page = text_of(client.get("/learn"))
    assert page.count(">Dementia and food</a>") == 1
    assert "Dementia care" in page


def test_curator_features_through_the_page(client, auth, make_playlist, curator):
    """A curator's Feature button puts a public playlist on /learn."""
    playlist = make_playlist(title="Handover essentials", visibility="public")
    auth.login(curator)
    assert "Feature on Learn" in text_of(client.get(f"/playlists/{playlist.id}"))
    client.post(f"/playlists/{playlist.id}/feature")
    assert "Handover essentials" in text_of(client.get("/learn"))


def test_playlists_page_lists_public_ones(
    client, make_playlist, make_microlearn, owner
):
    """/playlists lists public playlists with items, not private or empty ones."""
    public = make_playlist(title="Public with items", visibility="public")
    services.add_to_playlist(owner, public, microlearn=make_microlearn())
    make_playlist(title="Public but empty", visibility="public")
    hidden = make_playlist(title="Private with items")
    services.add_to_playlist(owner, hidden, microlearn=make_microlearn())
    page = text_of(client.get("/playlists"))
    assert "Public with items" in page
    assert "Public but empty" not in page and "Private with items" not in page
