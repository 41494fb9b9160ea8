"""Vote and reputation rules: votes, the ledger, its limits, and the reads."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import STARTING_REPUTATION
from forum.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationError,
)
from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import Comment, Post
from forum.reputation import models as m
from forum.reputation import services
from forum.reputation.models import ReputationEvent, Vote
from tests.reputation.conftest import NOW


def ledger(user):
    """Return a member's ledger rows, oldest first, as (amount, reason)."""
    rows = db.session.scalars(
        select(ReputationEvent)
        .where(ReputationEvent.user_id == user.id)
        .order_by(ReputationEvent.id)
    )
    return [(row.amount, row.reason) for row in rows if row.reason != m.BONUS]


def ledger_sum(user) -> int:
    """Return the sum of a member's ledger rows."""
    return db.session.scalar(
        select(func.coalesce(func.sum(ReputationEvent.amount), 0)).where(
            ReputationEvent.user_id == user.id
        )
    )


def fresh(user):
    """Return a member's reputation as stored, checking it is 1 plus the ledger."""
    db.session.refresh(user)
    assert user.reputation == STARTING_REPUTATION + ledger_sum(user)
    return user.reputation


@pytest.fixture
def thread(make_member, make_question, make_answer):
    """Return an asker, an answerer, a question and its answer, all at 1 reputation."""
    asker, answerer = make_member(1), make_member(1)
    question = make_question(author=asker, now=NOW - timedelta(hours=1))
    answer = make_answer(question, author=answerer, now=NOW - timedelta(hours=1))
    return asker, answerer, question, answer


# ---- casting votes ----


def test_up_vote_on_a_question_scores_and_earns_ten(thread, make_member):
    """An up vote adds 1 to the score and 10 to the question's author."""
    asker, _, question, _ = thread
    result = services.cast_vote(make_member(15), question, "up", now=NOW)
    assert (result.score, result.vote) == (1, 1)
    assert question.score == 1
    assert fresh(asker) == 11
    assert ledger(asker) == [(10, m.QUESTION_UPVOTED)]


def test_down_vote_on_an_answer_costs_author_two_and_voter_one(thread, make_member):
    """A down vote on an answer takes 2 from its author and 1 from the voter."""
    _, answerer, _, answer = thread
    answerer_before = fresh(answerer)
    services.record_bonus(answerer, 20, NOW)
    voter = make_member(100)
    result = services.cast_vote(voter, answer, "down", now=NOW)
    assert (result.score, result.vote) == (-1, -1)
    assert fresh(answerer) == answerer_before + 20 - 2
    assert fresh(voter) == 99
    assert ledger(voter) == [(-1, m.DOWNVOTE_CAST)]


def test_down_vote_on_a_question_costs_the_voter_nothing(thread, make_member):
    """Down-voting a question costs only its author, not the voter."""
    asker, _, question, _ = thread
    services.record_bonus(asker, 10, NOW)
    voter = make_member(100)
    services.cast_vote(voter, question, "down", now=NOW)
    assert fresh(asker) == 9
    assert fresh(voter) == 100


def test_same_arrow_again_undoes_with_new_ledger_rows(thread, make_member):
    """A second click on the same arrow undoes the vote by adding reversing rows."""
    _, answerer, _, answer = thread
    voter = make_member(15)
    services.cast_vote(voter, answer, "up", now=NOW)
    first = db.session.scalar(
        select(ReputationEvent).where(ReputationEvent.reason == m.ANSWER_UPVOTED)
    )
    result = services.cast_vote(voter, answer, "up", now=NOW + timedelta(minutes=1))
    assert (result.score, result.vote) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
    assert fresh(answerer) == 1
    assert ledger(answerer) == [(10, m.ANSWER_UPVOTED), (-10, m.VOTE_UNDONE)]
    reversal = db.session.scalar(
        select(ReputationEvent).where(ReputationEvent.reason == m.VOTE_UNDONE)
    )
    assert reversal.reverses_id == first.id
    assert (first.amount, first.reason) == (10, m.ANSWER_UPVOTED)


def test_other_arrow_switches_the_vote(thread, make_member):
    """Clicking the other arrow turns an up vote into a down vote."""
    _, answerer, _, answer = thread
    services.record_bonus(answerer, 20, NOW)
    voter = make_member(100)
    services.cast_vote(voter, answer, "up", now=NOW)
    result = services.cast_vote(voter, answer, "down", now=NOW)
    assert (result.score, result.vote) == (-1, -1)
    assert db.session.scalar(select(Vote.value)) == -1
    assert ledger(answerer) == [
        (10, m.ANSWER_UPVOTED),
        (-10, m.VOTE_CHANGED),
        (-2, m.DOWNVOTED),
    ]
    assert fresh(answerer) == 1 + 20 - 2
    assert fresh(voter) == 99


def test_no_voting_on_your_own_post(thread):
    """Members can't vote on their own posts."""
    asker, _, question, _ = thread
    services.record_bonus(asker, 200, NOW)
    with pytest.raises(PermissionDenied, match="your own post"):
        services.cast_vote(asker, question, "up", now=NOW)
    assert question.score == 0


def test_deleted_posts_cannot_be_voted(thread, make_member):
    """A deleted post, or an answer to a deleted question, takes no votes."""
    asker, answerer, question, answer = thread
    voter = make_member(15)
    posts.delete_post(answerer, answer, now=NOW)
    with pytest.raises(Conflict, match="deleted"):
        services.cast_vote(voter, answer, "up", now=NOW)
    posts.undelete_post(answerer, answer)
    posts.delete_post(asker, question, now=NOW)
    with pytest.raises(Conflict, match="deleted"):
        services.cast_vote(voter, answer, "up", now=NOW)
    with pytest.raises(Conflict, match="deleted"):
        services.cast_vote(voter, question, "up", now=NOW)


def test_vote_locks_five_minutes_after_casting(thread, make_member):
    """A vote can't be changed more than 5 minutes after it was cast."""
    _, _, question, _ = thread
    voter = make_member(100)
    services.cast_vote(voter, question, "up", now=NOW)
    later = NOW + timedelta(minutes=5, seconds=1)
    with pytest.raises(Conflict, match="locked"):
        services.cast_vote(voter, question, "up", now=later)
    with pytest.raises(Conflict, match="locked"):
        services.cast_vote(voter, question, "down", now=later)
    assert question.score == 1
    services.cast_vote(voter, question, "down", now=NOW + timedelta(minutes=5))
    assert question.score == -1


def test_edit_after_the_vote_unlocks_it(thread, make_member):
    """Editing the post after a vote lets the voter change it again."""
    asker, _, question, _ = thread
    voter = make_member(15)
    services.cast_vote(voter, question, "up", now=NOW)
    posts.edit_post(
        asker,
        question,
        title=question.title,
        body=question.body_markdown + " Edited to add the version I use.",
        tags="onboarding",
        now=NOW + timedelta(minutes=30),
    )
    result = services.cast_vote(voter, question, "up", now=NOW + timedelta(hours=1))
    assert result.vote == 0


def test_at_most_forty_votes_a_day(app, make_member, make_question):
    """The 41st vote of a UTC day is refused; the next day it is allowed."""
    voter, author = make_member(15), make_member()
    questions = [make_question(author=author) for _ in range(41)]
    for question in questions[:40]:
        services.cast_vote(voter, question, "up", now=NOW)
    with pytest.raises(RateLimited, match="40 votes") as refused:
        services.cast_vote(voter, questions[40], "up", now=NOW)
    assert 0 < refused.value.retry_after <= 12 * 3600
    assert questions[40].score == 0
    services.cast_vote(voter, questions[40], "up", now=NOW + timedelta(hours=12))
    assert questions[40].score == 1


def test_daily_vote_limit_is_configurable_and_counts_a_switch_once(
    app, make_member, make_question
):
    """VOTES_PER_DAY sets the limit, and switching a vote does not use another."""
    app.config["VOTES_PER_DAY"] = 2
    voter, author = make_member(100), make_member()
    first, second, third = (make_question(author=author) for _ in range(3))
    services.cast_vote(voter, first, "up", now=NOW)
    services.cast_vote(voter, second, "up", now=NOW)
    services.cast_vote(voter, second, "down", now=NOW)
    with pytest.raises(RateLimited):
        services.cast_vote(voter, third, "up", now=NOW)
    services.cast_vote(voter, first, "up", now=NOW)
    services.cast_vote(voter, third, "up", now=NOW)
    assert (first.score, second.score, third.score) == (0, -1, 1)


def test_voting_needs_the_privilege_and_says_which(thread, make_member):
    """Up votes need 15 reputation and down votes 100; the refusal says so."""
    _, _, question, _ = thread
    newcomer = make_member(14)
    with pytest.raises(PermissionDenied) as refused:
        services.cast_vote(newcomer, question, "up", now=NOW)
    assert "Vote up" in refused.value.message and "15" in refused.value.message
    regular = make_member(99)
    with pytest.raises(PermissionDenied) as refused:
        services.cast_vote(regular, question, "down", now=NOW)
    assert "Vote down" in refused.value.message and "100" in refused.value.message
    assert services.cast_vote(regular, question, "up", now=NOW).vote == 1
    moderator = make_member(role="moderator")
    assert services.cast_vote(moderator, question, "down", now=NOW).vote == -1


def test_thresholds_come_from_configuration(app, thread, make_member):
    """PRIVILEGE_THRESHOLDS overrides the profile's threshold for voting."""
    _, _, question, _ = thread
    app.config["PRIVILEGE_THRESHOLDS"] = {"vote_down": 10}
    assert services.cast_vote(make_member(10), question, "down", now=NOW).vote == -1


def test_bad_direction_and_anonymous_voters_are_refused(thread):
    """Only "up" and "down" are directions, and anonymous visitors can't vote."""
    asker, _, question, _ = thread
    with pytest.raises(ValidationError):
        services.cast_vote(asker, question, "sideways", now=NOW)
    with pytest.raises(PermissionDenied, match="Log in"):
        services.cast_vote(None, question, "up", now=NOW)


# ---- acceptance ----


def test_acceptance_credits_answerer_and_asker(thread):
    """Accepting an answer gives its author 15 and the asker 2."""
    asker, answerer, _, answer = thread
    posts.accept_answer(asker, answer, now=NOW)
    assert ledger(answerer) == [(15, m.ANSWER_ACCEPTED)]
    assert ledger(asker) == [(2, m.ACCEPTED_ANSWER)]
    assert (fresh(answerer), fresh(asker)) == (16, 3)


def test_accepting_your_own_answer_earns_nothing(thread, make_answer):
    """Accepting an answer you wrote yourself earns no reputation."""
    asker, _, question, _ = thread
    own = make_answer(question, author=asker)
    posts.accept_answer(asker, own, now=NOW)
    assert ledger(asker) == []


def test_moving_and_removing_acceptance_reverses_it(thread, make_member, make_answer):
    """Accepting another answer moves the credit; unaccepting takes it back."""
    asker, answerer, question, answer = thread
    other_author = make_member(1)
    other = make_answer(question, author=other_author)
    posts.accept_answer(asker, answer, now=NOW)
    posts.accept_answer(asker, other, now=NOW)
    assert ledger(answerer) == [(15, m.ANSWER_ACCEPTED), (-15, m.ACCEPTANCE_MOVED)]
    assert ledger(other_author) == [(15, m.ANSWER_ACCEPTED)]
    assert fresh(asker) == 3
    posts.unaccept_answer(asker, question, now=NOW)
    assert ledger(other_author)[-1] == (-15, m.ACCEPTANCE_REMOVED)
    assert (fresh(answerer), fresh(other_author), fresh(asker)) == (1, 1, 1)


def test_acceptance_is_not_capped(app, thread, make_member):
    """An acceptance counts in full on a day the up-vote cap was reached."""
    asker, answerer, _, answer = thread
    app.config["REPUTATION_DAILY_CAP"] = 10
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    posts.accept_answer(asker, answer, now=NOW)
    assert fresh(answerer) == 1 + 10 + 0 + 15


# ---- the daily cap and the floor ----


def test_up_vote_reputation_is_capped_at_200_a_day(make_member, make_question):
    """Up votes earn at most 200 a UTC day; the row stores what was applied."""
    author = make_member(1)
    questions = [make_question(author=author) for _ in range(11)]
    voters = [make_member(15) for _ in range(2)]
    for voter in voters:
        for question in questions:
            services.cast_vote(voter, question, "up", now=NOW)
    assert fresh(author) == 201
    amounts = [amount for amount, _ in ledger(author)]
    assert sum(amounts) == 200 and amounts.count(0) == 2
    assert services.days_over_cap() == []
    extra = make_question(author=author)
    services.cast_vote(voters[0], extra, "up", now=NOW + timedelta(days=1))
    assert fresh(author) == 211


def test_undone_vote_makes_room_under_the_cap(app, thread, make_member):
    """A vote undone on the day frees its share of the day's cap."""
    _, answerer, _, answer = thread
    app.config["REPUTATION_DAILY_CAP"] = 10
    first, second = make_member(15), make_member(15)
    services.cast_vote(first, answer, "up", now=NOW)
    services.cast_vote(second, answer, "up", now=NOW)
    assert fresh(answerer) == 11
    services.cast_vote(first, answer, "up", now=NOW)
    services.cast_vote(first, answer, "up", now=NOW)
    assert fresh(answerer) == 11
    assert answer.score == 2


def test_reputation_never_drops_below_one(thread, make_member):
    """Losses stop at 1, and the ledger keeps only what was applied."""
    _, answerer, _, answer = thread
    services.record_bonus(answerer, 2, NOW)
    voters = [make_member(100) for _ in range(3)]
    for voter in voters:
        services.cast_vote(voter, answer, "down", now=NOW)
    assert fresh(answerer) == 1
    assert ledger(answerer) == [(-2, m.DOWNVOTED), (0, m.DOWNVOTED), (0, m.DOWNVOTED)]


def test_new_members_start_at_one_and_lose_nothing(make_user, make_question):
    """A new member starts at 1 without a ledger row, and a down vote costs nothing."""
    author = make_user()
    assert author.reputation == STARTING_REPUTATION == 1
    assert ledger(author) == []
    question = make_question(author=author)
    voter = make_user(role="moderator")
    services.cast_vote(voter, question, "down", now=NOW)
    assert fresh(author) == 1
    assert ledger(author) == [(0, m.DOWNVOTED)]
    assert services.audit_reputation(now=NOW) == []


def test_floor_is_configurable(app, thread, make_member):
    """REPUTATION_FLOOR sets the lowest reputation losses can reach."""
    _, answerer, _, answer = thread
    app.config["REPUTATION_FLOOR"] = -100
    services.cast_vote(make_member(100), answer, "down", now=NOW)
    assert fresh(answerer) == -1


# ---- deleting and undeleting ----


def test_deleting_a_post_reverses_and_undeleting_reapplies(thread, make_member):
    """Deleting a post takes back what its votes earned; undeleting gives it back."""
    _, answerer, _, answer = thread
    up, down = make_member(15), make_member(100)
    services.cast_vote(up, answer, "up", now=NOW)
    services.cast_vote(down, answer, "down", now=NOW)
    assert (fresh(answerer), fresh(down)) == (9, 99)
    posts.delete_post(answerer, answer, now=NOW)
    assert (fresh(answerer), fresh(down)) == (1, 100)
    assert {reason for _, reason in ledger(answerer)[-2:]} == {m.POST_DELETED}
    posts.undelete_post(answerer, answer, now=NOW)
    assert (fresh(answerer), fresh(down)) == (9, 99)
    assert answer.score == 0


def test_deleting_a_question_reverses_its_answers_too(thread, make_member):
    """A deleted question takes back its answers' votes and acceptance."""
    asker, answerer, question, answer = thread
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    posts.accept_answer(asker, answer, now=NOW)
    assert fresh(answerer) == 26
    posts.delete_post(asker, question, now=NOW)
    assert (fresh(answerer), fresh(asker)) == (1, 1)
    posts.undelete_post(asker, question, now=NOW)
    assert (fresh(answerer), fresh(asker)) == (26, 3)


def test_deleting_an_accepted_answer_reverses_the_acceptance(thread, make_member):
    """Deleting an accepted answer takes back the acceptance; undeleting restores it."""
    asker, answerer, _, answer = thread
    moderator = make_member(role="moderator")
    posts.accept_answer(asker, answer, now=NOW)
    posts.delete_post(moderator, answer, now=NOW)
    assert (fresh(answerer), fresh(asker)) == (1, 1)
    posts.undelete_post(moderator, answer, now=NOW)
    # The posts service keeps a deleted answer accepted, so undeleting restores it.
    assert db.session.get(Post, answer.parent_id).accepted_answer_id == answer.id
    assert (fresh(answerer), fresh(asker)) == (16, 3)


def test_spam_deletion_charges_once_and_undelete_lifts_it(thread, make_member):
    """Deleting as spam costs the author 100 once; undeleting gives it back."""
    _, answerer, _, answer = thread
    services.record_bonus(answerer, 150, NOW)
    moderator = make_member(role="moderator")
    posts.delete_post(moderator, answer, now=NOW)
    services.reverse_post_events(answer, NOW)
    services.record_spam_deletion(answer, moderator, NOW)
    services.record_spam_deletion(answer, moderator, NOW)
    db.session.commit()
    assert fresh(answerer) == 51
    assert ledger(answerer) == [(-100, m.SPAM_DELETED)]
    posts.undelete_post(moderator, answer, now=NOW)
    assert fresh(answerer) == 151
    assert ledger(answerer)[-1] == (100, m.POST_UNDELETED)


def test_helpers_are_idempotent(thread, make_member):
    """Calling a ledger helper again changes nothing."""
    asker, answerer, question, answer = thread
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    posts.accept_answer(asker, answer, now=NOW)
    before = db.session.scalar(select(func.count()).select_from(ReputationEvent))
    services.record_acceptance(question, NOW)
    services.restore_post_events(question, NOW)
    db.session.commit()
    after = db.session.scalar(select(func.count()).select_from(ReputationEvent))
    assert after == before


def test_approved_edit_earns_two_within_the_cap(app, thread, make_member):
    """An approved suggested edit earns 2 and counts against the daily cap."""
    asker, _, question, _ = thread
    editor = make_member(1)
    app.config["REPUTATION_DAILY_CAP"] = 3
    services.record_edit_approved(editor, question, asker, NOW)
    services.record_edit_approved(editor, question, asker, NOW)
    db.session.commit()
    assert fresh(editor) == 4
    assert ledger(editor) == [(2, m.EDIT_APPROVED), (1, m.EDIT_APPROVED)]


# ---- comment votes ----


def test_comment_up_votes_toggle_and_carry_no_reputation(thread, make_member):
    """A comment up vote adds to its score, a second click removes it, no reputation."""
    asker, _, question, _ = thread
    comment = posts.add_comment(asker, question, "Which version of the portal is it?")
    voter = make_member(15)
    result = services.vote_comment(voter, comment, now=NOW)
    assert (result.score, result.voted) == (1, True)
    assert db.session.get(Comment, comment.id).score == 1
    assert fresh(asker) == 1
    result = services.vote_comment(voter, comment, now=NOW)
    assert (result.score, result.voted) == (0, False)


def test_comment_votes_follow_the_rules(app, thread, make_member):
    """No votes on your own or deleted comments, without vote up, or over the limit."""
    asker, answerer, question, answer = thread
    comment = posts.add_comment(asker, question, "Which version of the portal is it?")
    with pytest.raises(PermissionDenied, match="own comment"):
        services.vote_comment(asker, comment, now=NOW)
    with pytest.raises(PermissionDenied, match="Vote up"):
        services.vote_comment(make_member(1), comment, now=NOW)
    app.config["COMMENT_VOTES_PER_DAY"] = 1
    voter = make_member(15)
    other = posts.add_comment(answerer, answer, "The one from the intranet page.")
    services.vote_comment(voter, comment, now=NOW)
    with pytest.raises(RateLimited):
        services.vote_comment(voter, other, now=NOW)
    posts.delete_comment(asker, comment)
    with pytest.raises(NotFound):
        services.vote_comment(make_member(15), comment, now=NOW)


# ---- reads ----


def test_ledger_for_lists_newest_first(thread, make_member):
    """A member's ledger reads newest first."""
    asker, answerer, _, answer = thread
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    posts.accept_answer(asker, answer, now=NOW + timedelta(hours=1))
    rows = db.session.scalars(services.ledger_for(answerer)).all()
    assert [row.reason for row in rows] == [m.ANSWER_ACCEPTED, m.ANSWER_UPVOTED]


def test_reputation_by_day_sums_each_utc_day(thread, make_member):
    """The history groups changes by UTC day, newest day first."""
    _, answerer, _, answer = thread
    services.cast_vote(make_member(15), answer, "up", now=NOW)
    services.cast_vote(make_member(15), answer, "up", now=NOW + timedelta(days=1))
    services.cast_vote(make_member(15), answer, "up", now=NOW + timedelta(days=1))
    days = db.session.execute(services.reputation_by_day(answerer)).all()
    assert [(day.isoformat(), change) for day, change in days] == [
        ("2025-03-04", 20),
        ("2025-03-03", 10),
    ]


def test_leaderboard_by_period_and_tag(app, make_user, make_question):
    """Leaderboards rank what members gained in the period, overall and per tag."""
    app.config["PRIVILEGE_THRESHOLDS"] = {"vote_up": 0}
    alice, bob = make_user(), make_user()
    old = make_question(author=alice, tags="python")
    new = make_question(author=bob, tags="excel")
    voters = [make_user() for _ in range(2)]
    for voter in voters:
        services.cast_vote(voter, old, "up", now=NOW - timedelta(days=40))
    services.cast_vote(voters[0], new, "up", now=NOW)
    week = db.session.execute(services.leaderboard("week", now=NOW)).all()
    assert [(user.id, gained) for user, gained in week] == [(bob.id, 10)]
    everything = db.session.execute(services.leaderboard("all", now=NOW)).all()
    assert [(user.id, gained) for user, gained in everything] == [
        (alice.id, 20),
        (bob.id, 10),
    ]
    python = db.session.execute(services.leaderboard("all", "python", now=NOW)).all()
    assert [(user.id, gained) for user, gained in python] == [(alice.id, 20)]
    with pytest.raises(ValidationError):
        services.leaderboard("fortnight")
