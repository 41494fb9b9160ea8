"""Microlearn rules: curating, validation, ratings, the Bayesian sort, the queue."""

from datetime import UTC, date, datetime, timedelta

import pytest

from forum.errors import Conflict, PermissionDenied, ValidationError
from forum.extensions import db
from forum.microlearns import services
from forum.microlearns.models import Microlearn
from forum.posts.models import Tag
from tests.microlearns.conftest import microlearn_data

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def problems(error: pytest.ExceptionInfo) -> dict:
    """Return the field errors of a raised ValidationError."""
    return error.value.errors


def test_curator_creates_microlearn_with_shared_tags(curator, make_question):
    """A curator's microlearn stores its fields and uses the questions' Tag rows."""
    question = make_question(tags="dementia")
    item = services.create_microlearn(
        curator,
        microlearn_data(
            key="Dementia-Care-101",
            tags="dementia communication",
            updated_on="2024-04-30",
            version="2.1",
            audience="New care workers",
            source="L&D team",
        ),
    )
    assert item.key == "dementia-care-101"
    assert [tag.name for tag in item.tags] == ["communication", "dementia"]
    assert item.tags[1] is question.tags[0]
    assert item.updated_on == date(2024, 4, 30)
    assert item.version == "2.1"
    assert item.created_by_id == curator.id
    assert db.session.query(Tag).filter_by(name="dementia").count() == 1


@pytest.mark.parametrize("role", ["curator", "moderator", "admin"])
def test_curators_moderators_and_admins_curate(make_user, role):
    """Curators, moderators and admins may curate."""
    assert services.can_curate(make_user(role=role))


def test_members_may_not_curate(make_user):
    """A member cannot create, edit or retire microlearns."""
    member = make_user()
    assert not services.can_curate(member)
    assert not services.can_curate(None)
    with pytest.raises(PermissionDenied):
        services.create_microlearn(member, microlearn_data())


def test_member_cannot_edit_or_retire(make_user, make_microlearn):
    """Editing and retiring need the curator role too."""
    item = make_microlearn()
    member = make_user()
    with pytest.raises(PermissionDenied):
        services.update_microlearn(member, item, microlearn_data(title="New title"))
    with pytest.raises(PermissionDenied):
        services.retire_microlearn(member, item)


def test_every_bad_field_is_reported_at_once(curator):
    """Validation names every wrong field with a reason."""
    with pytest.raises(ValidationError) as error:
        services.create_microlearn(
            curator,
            {
                "key": "Not a key!",
                "title": "",
                "objective": "",
                "format": "book",
                "content_url": "javascript:alert(1)",
                "duration_minutes": "four",
                "tags": "UPPER CASE!! a b c d e",
                "updated_on": "31/05/2024",
                "version": "v2 beta",
            },
        )
    assert set(problems(error)) == {
        "key",
        "title",
        "objective",
        "format",
        "content_url",
        "duration_minutes",
        "tags",
        "updated_on",
        "version",
    }
    assert "objective" in problems(error)["objective"]


@pytest.mark.parametrize(
    "key", ["a", "-abc", "abc-", "ab_c", "a" * 65, "new", "outdated", "ab c"]
)
def test_bad_keys_are_refused(curator, key):
    """A key is 2-64 lower-case letters, digits and inner hyphens, not a page name."""
    with pytest.raises(ValidationError) as error:
        services.create_microlearn(curator, microlearn_data(key=key))
    assert "key" in problems(error)


@pytest.mark.parametrize("key", ["ab", "dementia-care-101", "x" * 64, "2024-intro"])
def test_good_keys_are_accepted(curator, key):
    """Well-formed keys are stored as given."""
    assert services.create_microlearn(curator, microlearn_data(key=key)).key == key


def test_keys_are_unique(curator, make_microlearn):
    """Two microlearns cannot share a key, whatever its case."""
    make_microlearn(key="fire-safety")
    with pytest.raises(ValidationError) as error:
        services.create_microlearn(curator, microlearn_data(key="FIRE-safety"))
    assert "already" in problems(error)["key"]


@pytest.mark.parametrize("version", ["3", "2.1", "1.0.4", "2024-05-31", ""])
def test_version_is_a_number_or_a_date(curator, version):
    """A version is a number like 2.1 or a date."""
    assert (
        services.create_microlearn(curator, microlearn_data(version=version)).version
        == version
    )


def test_version_date_must_exist(curator):
    """A version that looks like a date must be a real date."""
    with pytest.raises(ValidationError) as error:
        services.create_microlearn(curator, microlearn_data(version="2024-02-30"))
    assert "version" in problems(error)


def test_content_url_must_be_http_https_or_a_site_path(curator):
    """Content addresses are http(s), or a path on this site; nothing else."""
    for url in (
        "ftp://files.example.com/a.pdf",
        "relative/path",
        "//evil.example.com/a.pdf",
        "/back\\slash",
        "data:text/html,x",
        "javascript:alert(1)",
    ):
        with pytest.raises(ValidationError) as error:
            services.create_microlearn(curator, microlearn_data(content_url=url))
        assert "content_url" in problems(error), url
    item = services.create_microlearn(
        curator, microlearn_data(content_url="http://intranet.example.com/a.pdf")
    )
    assert item.content_url == "http://intranet.example.com/a.pdf"
    served = services.create_microlearn(
        curator, microlearn_data(content_url="/static/demo/learn/a.pdf")
    )
    assert served.content_url == "/static/demo/learn/a.pdf"


def test_player_url_refused_without_allowed_hosts(curator):
    """With no player hosts configured, no player address is accepted."""
    with pytest.raises(ValidationError) as error:
        services.create_microlearn(
            curator, microlearn_data(player_url="https://player.vimeo.com/video/1")
        )
    assert "FORUM_EMBED_PLAYER_HOSTS" in problems(error)["player_url"]


def test_player_url_must_be_https_on_an_allowed_host(app, curator):
    """A player address must use https and a host on the allow-list."""
    app.config["EMBED_PLAYER_HOSTS"] = ("player.vimeo.com",)
    for url in (
        "https://evil.example.com/video/1",
        "http://player.vimeo.com/video/1",
        "https://player.vimeo.com.evil.example/video/1",
        "https://user@player.vimeo.com/video/1",
    ):
        with pytest.raises(ValidationError) as error:
            services.create_microlearn(curator, microlearn_data(player_url=url))
        assert "player_url" in problems(error), url
    item = services.create_microlearn(
        curator, microlearn_data(player_url="https://player.vimeo.com/video/1")
    )
    assert services.player_allowed(item.player_url)
    app.config["EMBED_PLAYER_HOSTS"] = ()
    assert not services.player_allowed(item.player_url)


def test_update_keeps_the_key_and_refuses_no_change(curator, make_microlearn):
    """An edit changes fields but never the key; an edit that changes nothing fails."""
    item = make_microlearn(key="first-aid")
    data = microlearn_data(
        key="other-key", title="First aid at work, refreshed", tags="first-aid"
    )
    services.update_microlearn(curator, item, data, now=T0)
    assert item.key == "first-aid"
    assert item.title == "First aid at work, refreshed"
    assert [tag.name for tag in item.tags] == ["first-aid"]
    assert item.edited_at == T0
    with pytest.raises(ValidationError):
        services.update_microlearn(curator, item, data)


def test_retired_items_leave_the_catalogue_and_can_come_back(curator, make_microlearn):
    """Retiring hides an item from the catalogue; restoring brings it back."""
    kept, retired = make_microlearn(), make_microlearn()
    services.retire_microlearn(curator, retired)
    assert list(db.session.scalars(services.catalogue())) == [kept]
    assert services.get_microlearn(retired.key) is retired
    services.restore_microlearn(curator, retired)
    assert set(db.session.scalars(services.catalogue())) == {kept, retired}


# ---- ratings ----


def test_one_rating_per_member_changeable(make_user, make_microlearn):
    """A member's second rating replaces the first; the cached totals follow."""
    item = make_microlearn()
    member = make_user()
    services.rate_microlearn(member, item, 2, "outdated", "Shows the old hoist.")
    rating = services.rate_microlearn(member, item, "5", "accurate", "")
    assert (item.rating_count, item.rating_sum) == (1, 5)
    assert (item.accurate_count, item.outdated_count) == (1, 0)
    assert rating.review_markdown == ""
    services.rate_microlearn(make_user(), item, 3)
    assert (item.rating_count, item.rating_sum) == (2, 8)
    assert item.average_rating == 4.0


@pytest.mark.parametrize("value", [0, 6, "", "4.5", None, "five"])
def test_rating_is_a_whole_number_from_1_to_5(make_user, make_microlearn, value):
    """Anything but 1 to 5 stars is refused with a message."""
    with pytest.raises(ValidationError) as error:
        services.rate_microlearn(make_user(), make_microlearn(), value)
    assert "value" in problems(error)


def test_review_is_rendered_inline_and_limited(make_user, make_microlearn):
    """A review is inline Markdown, sanitised, at most 600 characters."""
    item = make_microlearn()
    rating = services.rate_microlearn(
        make_user(), item, 4, review="**Clear** <script>alert(1)</script> steps"
    )
    assert "<strong>Clear</strong>" in rating.review_html
    assert "<script" not in rating.review_html
    with pytest.raises(ValidationError) as error:
        services.rate_microlearn(make_user(), item, 4, review="x" * 601)
    assert "review" in problems(error)
    services.rate_microlearn(make_user(), item, 4, review="x" * 600)


def test_anonymous_and_retired_cannot_be_rated(make_user, curator, make_microlearn):
    """Rating needs a login, and a retired microlearn takes no ratings."""
    item = make_microlearn()
    with pytest.raises(PermissionDenied):
        services.rate_microlearn(None, item, 4)
    services.retire_microlearn(curator, item)
    with pytest.raises(Conflict):
        services.rate_microlearn(make_user(), item, 4)


def test_bayesian_average_formula():
    """The score is (C*m + sum)/(C + n) with C = 5."""
    assert services.PRIOR_WEIGHT == 5
    assert services.bayesian_score(0, 0, 3.5) == 3.5
    assert services.bayesian_score(5, 1, 3.5) == pytest.approx((5 * 3.5 + 5) / 6)


def _rate_many(item, values, make_user):
    """Have a fresh member give each of the values to the item."""
    for value in values:
        services.rate_microlearn(make_user(), item, value)


def test_one_five_star_rating_does_not_beat_forty_ratings_of_4_8(
    make_user, make_microlearn
):
    """Sorted by rating, forty ratings averaging 4.8 beat a single 5-star rating.

    The rest of the catalogue is rated too, so the site mean is a realistic 4.0;
    were every rating on the site above 4.8, no prior could tell the two apart.
    """
    single = make_microlearn(title="One fan only, five stars")
    popular = make_microlearn(title="Forty ratings, average 4.8")
    others = [make_microlearn() for _ in range(3)]
    _rate_many(single, [5], make_user)
    _rate_many(popular, [5] * 32 + [4] * 8, make_user)
    for other in others:
        _rate_many(other, [3, 3, 3, 4, 2, 3, 3, 3, 4, 2], make_user)
    assert popular.average_rating == pytest.approx(4.8)
    assert single.average_rating > popular.average_rating
    assert services.site_mean() == pytest.approx((5 + 192 + 3 * 30) / 71)

    ranked = list(db.session.scalars(services.catalogue(sort="rated")))

    assert ranked.index(popular) < ranked.index(single)
    assert ranked[0] is popular


def test_catalogue_filters(make_user, make_microlearn):
    """Format, tag, "5 minutes or less" and minimum rating narrow the catalogue."""
    short_video = make_microlearn(format="video", duration_minutes="5", tags="fire")
    long_pdf = make_microlearn(format="pdf", duration_minutes="20", tags="fire")
    no_duration = make_microlearn(format="quiz", duration_minutes="", tags="food")
    _rate_many(short_video, [4, 5], make_user)
    _rate_many(long_pdf, [3, 4], make_user)

    def found(**filters):
        return set(db.session.scalars(services.catalogue(**filters)))

    assert found(format="pdf") == {long_pdf}
    assert found(tag="fire") == {short_video, long_pdf}
    assert found(short=True) == {short_video}
    assert found(min_rating=4.5) == {short_video}
    assert found(min_rating=3.0) == {short_video, long_pdf}
    assert no_duration in found()


def test_catalogue_sorts_newest_and_most_discussed(make_microlearn):
    """Newest puts the latest first; most discussed orders by linked questions."""
    old = make_microlearn(now=T0)
    new = make_microlearn(now=T0 + timedelta(days=1))
    old.question_count = 3
    db.session.commit()
    assert list(db.session.scalars(services.catalogue())) == [new, old]
    assert list(db.session.scalars(services.catalogue(sort="discussed"))) == [old, new]


def test_threads_are_the_questions_about_the_microlearn(
    make_microlearn, make_question, ask_about
):
    """Only questions linked to a microlearn are its threads."""
    item = make_microlearn()
    other = make_microlearn()
    make_question()
    ask_about(other)
    assert services.threads_of(item) == []
    mine = ask_about(item)
    assert [t.question for t in services.threads_of(item)] == [mine]


def test_threads_sort_by_votes_or_activity(
    make_microlearn, ask_about, make_answer, make_user
):
    """Linked threads sort by score or by latest activity; has_accepted is live."""
    from forum.posts import services as posts

    item = make_microlearn()
    quiet = ask_about(item, now=T0)
    busy = ask_about(item, now=T0 + timedelta(hours=1))
    quiet.score = 7
    answer = make_answer(busy, now=T0 + timedelta(days=1))
    posts.accept_answer(busy.author, answer, now=T0 + timedelta(days=1))
    db.session.commit()
    by_votes = services.threads_of(item, "votes")
    assert [t.question for t in by_votes] == [quiet, busy]
    by_activity = services.threads_of(item, "activity")
    assert [t.question for t in by_activity] == [busy, quiet]
    assert [t.has_accepted for t in by_activity] == [True, False]


# ---- reviews and the outdated queue ----


def test_curator_hides_review_and_stars_still_count(
    curator, make_user, make_microlearn
):
    """A hidden review is gone for others but its author and curators see it."""
    item = make_microlearn()
    author, other = make_user(), make_user()
    rating = services.rate_microlearn(author, item, 1, review="Rubbish, all of it.")
    with pytest.raises(PermissionDenied):
        services.hide_review(other, rating)
    services.hide_review(curator, rating)
    assert item.rating_count == 1
    assert services.ratings_of(item, other) == []
    assert services.ratings_of(item, author) == [rating]
    assert services.ratings_of(item, curator) == [rating]
    services.rate_microlearn(author, item, 1, review="Still rubbish, edited.")
    assert rating.is_hidden
    services.unhide_review(curator, rating)
    assert services.ratings_of(item, other) == [rating]


def test_outdated_queue_holds_new_marks_only(curator, make_user, make_microlearn):
    """Outdated marks queue an item until a curator checks it; new marks requeue."""
    item, fine = make_microlearn(), make_microlearn()
    first = make_user()
    services.rate_microlearn(first, item, 3, "outdated", "Hoist model changed.", now=T0)
    services.rate_microlearn(make_user(), item, 4, "outdated", now=T0)
    services.rate_microlearn(make_user(), fine, 4, "accurate", now=T0)
    [queued] = services.outdated_queue()
    assert queued.microlearn is item
    assert queued.open_marks == 2
    assert [r.review_markdown for r in queued.reviews] == ["Hoist model changed."]

    services.resolve_outdated(curator, item, now=T0 + timedelta(hours=1))
    assert services.outdated_queue() == []
    # Changing only the stars does not count as a new mark.
    services.rate_microlearn(first, item, 2, "outdated", now=T0 + timedelta(hours=2))
    assert services.outdated_queue() == []
    services.rate_microlearn(
        make_user(), item, 2, "outdated", now=T0 + timedelta(hours=3)
    )
    [queued] = services.outdated_queue()
    assert queued.open_marks == 1


def test_outdated_queue_skips_retired(curator, make_user, make_microlearn):
    """A retired microlearn needs no attention in the queue."""
    item = make_microlearn()
    services.rate_microlearn(make_user(), item, 3, "outdated")
    services.retire_microlearn(curator, item)
    assert services.outdated_queue() == []


def test_members_cannot_resolve_outdated(make_user, make_microlearn):
    """Only curators clear the outdated queue."""
    with pytest.raises(PermissionDenied):
        services.resolve_outdated(make_user(), make_microlearn())


def test_microlearn_table_is_created(app):
    """The models are registered, so db.create_all makes the tables."""
    assert {"microlearns", "microlearn_tags", "microlearn_ratings"} <= set(
        db.metadata.tables
    )
    assert Microlearn.__tablename__ == "microlearns"
