"""Following rules and the start page: uniqueness, targets, what counts as new."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, NotFound, PermissionDenied
from forum.extensions import db
from forum.following import services
from forum.following.models import Follow
from forum.microlearns import services as microlearns
from forum.posts import services as posts

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_following_twice_is_one_follow(make_user, make_question):
    """Following the same thing again changes nothing: one follow per target."""
    member, question = make_user(), make_question()
    first = services.follow(member, "question", question.id)
    again = services.follow(member, "question", question.id)
    assert first.id == again.id
    assert db.session.query(Follow).count() == 1
    assert services.is_following(member, "question", question.id)


def test_the_database_refuses_a_second_follow(make_user, make_question):
    """The unique constraint holds even when the service is bypassed."""
    member, question = make_user(), make_question()
    services.follow(member, "tag", question.tags[0].id)
    db.session.add(Follow(user_id=member.id, tag_id=question.tags[0].id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_follow_has_exactly_one_target(make_user, make_question):
    """A follow names one target, never two or none (check constraint)."""
    member, question = make_user(), make_question()
    for row in (
        Follow(user_id=member.id, tag_id=question.tags[0].id, post_id=question.id),
        Follow(user_id=member.id),
    ):
        db.session.add(row)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_members_follow_each_kind(make_user, make_question, make_microlearn):
    """Tags, microlearns, questions and public playlists are followed and unfollowed."""
    member, question, item = make_user(), make_question(), make_microlearn()
    playlist = microlearns.create_playlist(make_user(), "Public list", "", "public")
    targets = [
        ("tag", question.tags[0].id),
        ("microlearn", item.id),
        ("question", question.id),
        ("playlist", playlist.id),
    ]
    for kind, target_id in targets:
        assert services.follow(member, kind, target_id).kind == kind
    for kind, target_id in targets:
        services.unfollow(member, kind, target_id)
        services.unfollow(member, kind, target_id)
        assert not services.is_following(member, kind, target_id)


def test_what_cannot_be_followed(make_user, make_question, make_answer):
    """Unknown kinds, missing or deleted targets, answers, unseen playlists: 404."""
    member = make_user()
    question = make_question()
    answer = make_answer(question)
    private = microlearns.create_playlist(make_user(), "Someone's own")
    shared = microlearns.create_playlist(make_user(), "By link", "", "link")
    for kind, target_id in (
        ("user", member.id),
        ("tag", 999),
        ("microlearn", 999),
        ("question", answer.id),
        ("playlist", private.id),
        ("playlist", shared.id),
    ):
        with pytest.raises(NotFound):
            services.follow(member, kind, target_id)
    posts.delete_post(question.author, question)
    with pytest.raises(NotFound):
        services.follow(member, "question", question.id)
    assert services.follow(member, "playlist", shared.id, token=shared.share_token)


def test_own_playlists_and_visitors_cannot_follow(make_user):
    """Following my own playlist is a conflict; visitors must log in."""
    member = make_user()
    mine = microlearns.create_playlist(member, "Mine", "", "public")
    with pytest.raises(Conflict):
        services.follow(member, "playlist", mine.id)
    with pytest.raises(PermissionDenied):
        services.follow(None, "playlist", mine.id)
    assert not services.is_following(None, "playlist", mine.id)


# ---- the start page ----


@pytest.fixture
def world(make_user, make_question, make_answer, make_microlearn):
    """Return a member who follows a tag, a question and a playlist, before news."""
    member = make_user(display_name="Mia Member")
    asker = make_user(display_name="Ari Asker")
    old = make_question(author=asker, tags="dementia", now=T0)
    followed_q = make_question(author=asker, tags="fire", now=T0)
    curator_list = microlearns.create_playlist(asker, "Dementia basics", "", "public")
    services.follow(member, "tag", old.tags[0].id)
    services.follow(member, "question", followed_q.id)
    services.follow(member, "playlist", curator_list.id)
    services.visit_start_page(member, now=T0 + timedelta(minutes=1))
    return {
        "member": member,
        "asker": asker,
        "old": old,
        "question": followed_q,
        "playlist": curator_list,
    }


def test_start_page_shows_what_is_new_since_the_last_visit(
    world, make_question, make_answer, make_microlearn
):
    """New questions in my tags, answers on my questions and playlist additions show."""
    member, asker = world["member"], world["asker"]
    later = T0 + timedelta(hours=2)
    new_q = make_question(author=asker, tags="dementia", now=later)
    mine = make_question(author=member, tags="dementia", now=later)
    make_question(author=asker, tags="cooking", now=later)
    answer = make_answer(world["question"], now=later)
    make_answer(world["question"], author=member, now=later)
    item = microlearns.add_to_playlist(
        asker, world["playlist"], microlearn=make_microlearn(), now=later
    )
    page = services.visit_start_page(member, now=later + timedelta(hours=1))
    assert page.new_since == T0 + timedelta(minutes=1)
    assert [q.id for q in page.new_questions] == [new_q.id]
    assert mine.id not in [q.id for q in page.unanswered]
    assert [(e.question.id, [a.id for a in e.answers]) for e in page.new_answers] == [
        (world["question"].id, [answer.id])
    ]
    assert [i.id for i in page.new_playlist_items] == [item.id]
    # Linking questions to microlearns lands later; the section is there, empty.
    assert page.new_about_microlearns == []


def test_old_news_is_not_new(world, make_question):
    """What happened before the previous visit does not show as new."""
    page = services.visit_start_page(world["member"], now=T0 + timedelta(hours=3))
    assert page.new_questions == [] and not page.has_news
    assert page.follows_anything


def test_a_sitting_keeps_its_news(world, make_question):
    """Reloading /me within a sitting keeps the news; a later visit starts afresh."""
    member = world["member"]
    news = make_question(
        author=world["asker"], tags="dementia", now=T0 + timedelta(hours=1)
    )
    first = T0 + timedelta(hours=2)
    assert services.visit_start_page(member, now=first).new_questions == [news]
    again = services.visit_start_page(member, now=first + timedelta(minutes=10))
    assert again.new_questions == [news]
    later = services.visit_start_page(member, now=first + timedelta(hours=5))
    assert later.new_questions == []


def test_mark_all_seen_clears_the_news(world, make_question):
    """After “Mark all as seen” nothing earlier counts as new."""
    member = world["member"]
    make_question(author=world["asker"], tags="dementia", now=T0 + timedelta(hours=1))
    now = T0 + timedelta(hours=2)
    assert services.visit_start_page(member, now=now).has_news
    services.mark_start_page_seen(member, now=now + timedelta(minutes=1))
    assert not services.visit_start_page(
        member, now=now + timedelta(minutes=2)
    ).has_news


def test_first_visit_shows_the_last_two_weeks(make_user, make_question):
    """On a first visit, news from the last two weeks shows; older does not."""
    member, asker = make_user(), make_user()
    now = T0 + timedelta(days=30)
    old = make_question(author=asker, tags="dementia", now=now - timedelta(days=20))
    recent = make_question(author=asker, tags="dementia", now=now - timedelta(days=3))
    services.follow(member, "tag", old.tags[0].id)
    page = services.visit_start_page(member, now=now)
    assert page.first_visit
    assert [q.id for q in page.new_questions] == [recent.id]


def test_unanswered_questions_in_my_tags_not_my_own(world, make_question, make_answer):
    """Questions I could answer: unanswered, in a followed tag, asked by others."""
    member, asker = world["member"], world["asker"]
    answered = make_question(author=asker, tags="dementia")
    make_answer(answered)
    make_question(author=member, tags="dementia")
    make_question(author=asker, tags="cooking")
    page = services.visit_start_page(member)
    assert [q.id for q in page.unanswered] == [world["old"].id]


def test_private_playlists_drop_out_of_the_start_page(world, make_microlearn):
    """A followed playlist that turns private shows neither its news nor itself."""
    asker, playlist = world["asker"], world["playlist"]
    later = T0 + timedelta(hours=2)
    microlearns.add_to_playlist(
        asker, playlist, microlearn=make_microlearn(), now=later
    )
    microlearns.update_playlist(asker, playlist, playlist.title, "", "private")
    page = services.visit_start_page(world["member"], now=later + timedelta(hours=1))
    assert page.new_playlist_items == []
    assert page.followed_playlists == [] and page.follows["playlist"] == []


def test_my_playlists_come_with_my_progress(world, make_microlearn):
    """/me lists my playlists and followed ones, each with what I marked done."""
    member, asker = world["member"], world["asker"]
    followed = world["playlist"]
    done = microlearns.add_to_playlist(asker, followed, microlearn=make_microlearn())
    microlearns.add_to_playlist(asker, followed, microlearn=make_microlearn())
    microlearns.mark_item_done(member, done, True)
    mine = microlearns.create_playlist(member, "My own list")
    page = services.visit_start_page(member)
    assert [(p.id, n) for p, n in page.own_playlists] == [(mine.id, 0)]
    assert [(p.id, n) for p, n in page.followed_playlists] == [(followed.id, 1)]
