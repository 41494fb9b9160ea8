"""Badge rules: each at its threshold and not below, idempotent awarding, reads."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from forum.accounts import services as accounts
from forum.badges import rules, services
from forum.badges.models import BadgeAward
from forum.errors import NotFound, ValidationError
from forum.extensions import db
from forum.notifications.models import Notification
from forum.posts import services as posts
from forum.posts.models import Comment
from forum.reputation.models import Vote
from tests.badges.conftest import NOW, awards_of, holds


@dataclass
class World:
    """The factories a rule's arrangement needs."""

    make_user: object
    make_question: object
    make_answer: object


@pytest.fixture
def world(make_user, make_question, make_answer):
    """Return the factories for arranging members and posts."""
    return World(make_user, make_question, make_answer)


def _set(post, **values):
    """Change a post's cached figures directly and commit."""
    for name, value in values.items():
        setattr(post, name, value)
    db.session.commit()


def question_scored(world, value):
    """A member asked a question that scores value."""
    question = world.make_question()
    _set(question, score=value)
    return question.author


def question_viewed(world, value):
    """A member asked a question viewed value times."""
    question = world.make_question()
    _set(question, view_count=value)
    return question.author


def answer_scored(world, value):
    """A member wrote an answer that scores value."""
    answer = world.make_answer(world.make_question())
    _set(answer, score=value)
    return answer.author


def own_answer_scored(world, value):
    """A member answered their own question, scoring value."""
    asker = world.make_user()
    answer = world.make_answer(world.make_question(author=asker), author=asker)
    _set(answer, score=value)
    return asker


def first_accepted_answer_scored(world, value):
    """A member answered first and was accepted, scoring value."""
    question = world.make_question()
    answer = world.make_answer(question, now=question.created_at + timedelta(hours=1))
    world.make_answer(question, now=question.created_at + timedelta(hours=2))
    posts.accept_answer(question.author, answer)
    _set(answer, score=value)
    return answer.author


def later_accepted_answer_scored(world, value):
    """A member's accepted answer (not the first one) scores value."""
    question = world.make_question()
    world.make_answer(question, now=question.created_at + timedelta(hours=1))
    answer = world.make_answer(question, now=question.created_at + timedelta(hours=2))
    posts.accept_answer(question.author, answer)
    _set(answer, score=value)
    return answer.author


def late_answer_scored(world, value):
    """A member answered 60 days after the question was asked, scoring value."""
    question = world.make_question(now=NOW - timedelta(days=61))
    answer = world.make_answer(question, now=question.created_at + timedelta(days=60))
    _set(answer, score=value)
    return answer.author


def answer_days_later(world, value):
    """A member answered value days after the question, with a score of 5."""
    question = world.make_question(now=NOW - timedelta(days=400))
    answer = world.make_answer(
        question, now=question.created_at + timedelta(days=value)
    )
    _set(answer, score=5)
    return answer.author


def comments_left(world, value):
    """A member left value comments (on their own question: always allowed)."""
    member = world.make_user()
    question = world.make_question(author=member)
    for n in range(value):
        posts.add_comment(member, question, f"Note number {n} about this question.")
    return member


def votes_cast(world, value):
    """A member holds value votes, up and down."""
    voter = world.make_user()
    author = world.make_user()
    for n in range(value):
        post = world.make_question(author=author)
        db.session.add(Vote(user_id=voter.id, post_id=post.id, value=1 - 2 * (n % 2)))
    db.session.commit()
    return voter


def posts_edited(world, value):
    """A member edited value different posts (their own questions)."""
    member = world.make_user()
    for n in range(value):
        question = world.make_question(author=member)
        posts.edit_post(
            member,
            question,
            body=f"A clearer version of the body, take {n}, with more detail.",
            title=question.title,
            tags="onboarding",
        )
    return member


def days_visited(world, value):
    """A member visited value days in a row."""
    member = world.make_user()
    for n in range(value):
        services.record_visit(member, now=NOW + timedelta(days=n))
    return member


def tag_answer_score(world, value):
    """A member's answers in one tag score value in total, in two answers."""
    member = world.make_user()
    first = world.make_answer(world.make_question(tags="payroll"), author=member)
    second = world.make_answer(world.make_question(tags="payroll"), author=member)
    _set(first, score=value // 2)
    _set(second, score=value - value // 2)
    return member


# (badge, arrangement, threshold setting, override for a quicker test or None)
THRESHOLD_CASES = [
    ("student", question_scored, "student", None),
    ("teacher", answer_scored, "teacher", None),
    ("nice-question", question_scored, "nice_question", None),
    ("good-question", question_scored, "good_question", None),
    ("great-question", question_scored, "great_question", None),
    ("nice-answer", answer_scored, "nice_answer", None),
    ("good-answer", answer_scored, "good_answer", None),
    ("great-answer", answer_scored, "great_answer", None),
    ("popular-question", question_viewed, "popular_question", None),
    ("notable-question", question_viewed, "notable_question", None),
    ("famous-question", question_viewed, "famous_question", None),
    ("self-learner", own_answer_scored, "self_learner", None),
    ("enlightened", first_accepted_answer_scored, "enlightened", None),
    ("guru", later_accepted_answer_scored, "guru", None),
    ("necromancer", late_answer_scored, "necromancer", None),
    ("necromancer", answer_days_later, "necromancer_days", None),
    ("commentator", comments_left, "commentator", None),
    ("civic-duty", votes_cast, "civic_duty", 4),
    ("strunk-white", posts_edited, "strunk_white", 3),
    ("enthusiast", days_visited, "enthusiast", 4),
    ("fanatic", days_visited, "fanatic", 5),
    ("tag-bronze", tag_answer_score, "tag_bronze", None),
    ("tag-silver", tag_answer_score, "tag_silver", None),
    ("tag-gold", tag_answer_score, "tag_gold", None),
]


@pytest.mark.parametrize("below", [False, True], ids=["at", "below"])
@pytest.mark.parametrize(
    "slug, arrange, setting, override",
    THRESHOLD_CASES,
    ids=[f"{case[0]}:{case[2]}" for case in THRESHOLD_CASES],
)
def test_badge_is_earned_at_its_threshold_and_not_below(
    app, world, thresholds, slug, arrange, setting, override, below
):
    """A badge is awarded when its figure reaches the threshold, never one short."""
    if override is not None:
        thresholds(**{setting: override})
    threshold = rules.thresholds()[setting]
    member = arrange(world, threshold - 1 if below else threshold)
    services.award_badges(now=NOW)
    assert holds(member, slug) is not below


def test_there_are_at_least_24_badges_in_three_classes():
    """The catalogue has 24 or more badges, each gold, silver or bronze."""
    assert len(rules.BADGES) >= 24
    assert {badge.level for badge in rules.BADGES} == set(rules.LEVELS)
    assert len(rules.BY_SLUG) == len(rules.BADGES)


def test_every_badge_describes_itself_with_this_sites_thresholds(app, thresholds):
    """Descriptions show the configured thresholds, not the defaults."""
    thresholds(popular_question=42)
    description = rules.BY_SLUG["popular-question"].description
    assert "42" in description
    assert all(badge.description for badge in rules.BADGES)


def test_scholar_needs_a_colleagues_answer_accepted(make_user, world):
    """Scholar: accepting a colleague's answer earns it; accepting your own does not."""
    asker = make_user()
    own = world.make_question(author=asker)
    posts.accept_answer(asker, world.make_answer(own, author=asker))
    services.award_badges()
    assert not holds(asker, "scholar")
    other = world.make_question(author=asker)
    posts.accept_answer(asker, world.make_answer(other))
    services.award_badges()
    assert holds(asker, "scholar")


def test_editor_needs_an_edit(make_user, world):
    """Editor: asking is not editing; the first edit earns it."""
    member = make_user()
    question = world.make_question(author=member)
    services.award_badges()
    assert not holds(member, "editor")
    posts.edit_post(
        member,
        question,
        body="A clearer body for the question, with the steps I tried.",
        title=question.title,
        tags="onboarding",
    )
    services.award_badges()
    assert holds(member, "editor")


def test_supporter_and_critic_follow_the_first_vote_of_each_kind(world, make_user):
    """Supporter comes with a first up vote, Critic with a first down vote."""
    voter = make_user()
    db.session.add(Vote(user_id=voter.id, post_id=world.make_question().id, value=1))
    db.session.commit()
    services.award_badges()
    assert holds(voter, "supporter") and not holds(voter, "critic")
    db.session.add(Vote(user_id=voter.id, post_id=world.make_question().id, value=-1))
    db.session.commit()
    services.award_badges()
    assert holds(voter, "critic")


@pytest.mark.parametrize(
    "about, earned", [("", False), ("   \n ", False), ("I run payroll.", True)]
)
def test_autobiographer_needs_an_about_with_words(make_user, about, earned):
    """Autobiographer: an About of only spaces is not filled in."""
    member = make_user()
    accounts.update_profile(member, member.display_name, about)
    services.award_badges()
    assert holds(member, "autobiographer") is earned


def test_deleted_posts_earn_nothing(world):
    """A deleted question's score earns no badge."""
    question = world.make_question()
    _set(question, score=30, deleted_at=NOW)
    services.award_badges()
    assert awards_of(question.author) == []


def test_per_post_badges_are_earned_once_per_post(make_user, world):
    """Two nice answers give Nice Answer twice; once-only badges come once."""
    member = make_user()
    for _ in range(2):
        _set(world.make_answer(world.make_question(), author=member), score=12)
    services.award_badges()
    assert len(awards_of(member, "nice-answer")) == 2
    assert len(awards_of(member, "teacher")) == 1
    assert {a.post_id for a in awards_of(member, "nice-answer")} == {
        a.subject for a in awards_of(member, "nice-answer")
    }


def test_awarding_twice_awards_once(world):
    """Running the awarding again adds no award and no notification."""
    answer = world.make_answer(world.make_question())
    _set(answer, score=30)
    first = services.award_badges()
    notifications = db.session.scalar(select(func.count()).select_from(Notification))
    assert first >= 3  # teacher, nice answer, good answer
    assert services.award_badges() == 0
    assert len(awards_of(answer.author, "good-answer")) == 1
    assert (
        db.session.scalar(select(func.count()).select_from(Notification))
        == notifications
    )


def test_an_award_held_already_is_not_inserted_again(make_user):
    """The unique constraint keeps a second insert of the same award out."""
    member = make_user()
    due = services.Due(rules.BY_SLUG["editor"])
    assert services._award(db.session, member.id, due, NOW) is True
    assert services._award(db.session, member.id, due, NOW) is False
    db.session.commit()
    assert len(awards_of(member, "editor")) == 1


def test_an_award_notifies_the_member(world):
    """Each award puts a notification in the member's inbox with a link."""
    answer = world.make_answer(world.make_question(title="Where is the VPN guide?"))
    _set(answer, score=10)
    services.award_badges()
    texts = {
        n.text: n.url
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == answer.author_id)
        )
    }
    nice = "You earned the bronze badge “Nice Answer” for “Where is the VPN guide?”."
    assert texts[nice] == f"/posts/{answer.id}"
    assert texts["You earned the bronze badge “Teacher”."] == "/badges/teacher"


def test_badges_are_not_taken_back(world):
    """A score that drops again leaves the badge in place."""
    answer = world.make_answer(world.make_question())
    _set(answer, score=10)
    services.award_badges()
    _set(answer, score=0)
    services.award_badges()
    assert holds(answer.author, "nice-answer")


def test_granted_badges_arrive_after_the_commit(make_user):
    """grant_badge awards Citizen Patrol once the caller commits, not on rollback."""
    member = make_user()
    services.grant_badge(member, "citizen-patrol")
    db.session.rollback()
    db.session.commit()  # an unrelated later commit must not deliver it either
    assert not holds(member, "citizen-patrol")
    services.grant_badge(member, "citizen-patrol")
    db.session.commit()
    assert holds(member, "citizen-patrol")
    services.grant_badge(member, "citizen-patrol")
    db.session.commit()
    assert len(awards_of(member, "citizen-patrol")) == 1


def test_granting_an_unknown_badge_is_refused(make_user):
    """grant_badge names a badge that exists."""
    with pytest.raises(ValidationError):
        services.grant_badge(make_user(), "astronaut")


def test_badge_counts_by_class(world, make_user):
    """badge_counts gives gold, silver and bronze totals, per-post badges each time."""
    member = make_user()
    for score in (100, 12):
        _set(world.make_answer(world.make_question(), author=member), score=score)
    services.award_badges()
    # 100: teacher, nice, good, great; 12: nice; 112 in one tag: the bronze tag badge.
    assert services.badge_counts(member) == {"gold": 1, "silver": 1, "bronze": 4}
    assert services.badge_counts(make_user()) == {"gold": 0, "silver": 0, "bronze": 0}


def test_badge_counts_for_many_members_take_one_query(world, make_user, count_queries):
    """badge_counts_for answers for any number of members in one statement."""
    members = [make_user() for _ in range(3)]
    _set(world.make_answer(world.make_question(), author=members[0]), score=10)
    services.award_badges()
    with count_queries() as counter:
        counts = services.badge_counts_for([m.id for m in members])
    assert counter.count == 1
    assert counts[members[0].id]["bronze"] == 2
    assert counts[members[2].id] == {"gold": 0, "silver": 0, "bronze": 0}


def test_badges_of_lists_gold_first_with_times_and_tags(world, make_user, thresholds):
    """A profile's badges: gold, silver, then bronze; repeats counted; tags named."""
    thresholds(tag_bronze=10)
    member = make_user()
    for score in (100, 10):
        _set(
            world.make_answer(world.make_question(tags="payroll"), author=member),
            score=score,
        )
    services.award_badges()
    held = services.badges_of(member)
    levels = [h.badge.level for h in held]
    assert levels == sorted(levels, key=rules.LEVELS.index)
    by_slug = {h.badge.slug: h for h in held}
    assert by_slug["nice-answer"].times == 2
    assert by_slug["tag-bronze"].tags == ("payroll",)


def test_catalogue_counts_members_and_awards(world, make_user):
    """The catalogue tells how many members hold each badge and how many awards."""
    member = make_user()
    for _ in range(2):
        _set(world.make_answer(world.make_question(), author=member), score=10)
    _set(world.make_answer(world.make_question()), score=10)
    services.award_badges()
    entries = {e.badge.slug: e for e in services.catalogue()["bronze"]}
    assert (entries["nice-answer"].members, entries["nice-answer"].awards) == (2, 3)
    assert entries["critic"].members == 0


def test_unknown_badge_is_not_found():
    """get_badge refuses a slug that names no badge."""
    with pytest.raises(NotFound):
        services.get_badge("astronaut")


def test_comments_deleted_do_not_count(make_user, world):
    """Commentator counts comments that are still there."""
    member = make_user()
    question = world.make_question(author=member)
    for n in range(10):
        posts.add_comment(member, question, f"Remark number {n} on the question.")
    comment = db.session.scalars(select(Comment).where(Comment.author_id == member.id))
    posts.delete_comment(member, comment.first())
    db.session.execute(delete(BadgeAward))
    db.session.commit()
    services.award_badges()
    assert not holds(member, "commentator")
