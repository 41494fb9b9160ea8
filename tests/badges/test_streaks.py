"""Streaks: the arithmetic over random day sets, visit days, contributions, the week."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from forum.accounts.models import User
from forum.badges import services, streaks
from forum.badges.models import VisitDay
from forum.extensions import db
from forum.posts import services as posts
from forum.reputation import services as reputation
from tests.badges.conftest import NOW

START = date(2025, 1, 1)
day_sets = st.sets(
    st.integers(min_value=0, max_value=60).map(lambda n: START + timedelta(days=n)),
    max_size=40,
)
todays = st.integers(min_value=0, max_value=62).map(lambda n: START + timedelta(days=n))


def brute_current(days: set[date], today: date) -> int:
    """Count back from today, or from yesterday if today is missing, one by one."""
    for end in (today, today - timedelta(days=1)):
        if end in days:
            n = 0
            while end - timedelta(days=n) in days:
                n += 1
            return n
    return 0


def brute_longest(days: set[date]) -> int:
    """Try every day as the end of a run and keep the longest."""
    best = 0
    for end in days:
        n = 0
        while end - timedelta(days=n) in days:
            n += 1
        best = max(best, n)
    return best


@given(day_sets, todays)
def test_current_streak_counts_back_from_today_or_yesterday(days, today):
    """The current streak is the run ending today, else the one ending yesterday."""
    future = {day for day in days if day <= today}
    assert streaks.current_streak(future, today) == brute_current(future, today)


@given(day_sets)
def test_longest_streak_is_the_longest_run(days):
    """The longest streak is the longest run of consecutive days."""
    assert streaks.longest_streak(days) == brute_longest(days)


@given(day_sets, todays)
def test_a_streak_is_never_longer_than_the_days_or_the_longest_run(days, today):
    """No current streak exceeds the longest streak, nor the number of days."""
    current = streaks.current_streak(days, today)
    assert current <= streaks.longest_streak(days) <= len(days)


def test_no_days_no_streak():
    """With no days at all, both streaks are 0: an honest "no streak"."""
    assert streaks.current_streak(set(), START) == 0
    assert streaks.longest_streak(set()) == 0


def test_a_day_missed_ends_the_streak():
    """Two days without a visit leave no current streak, the longest stays."""
    days = {START, START + timedelta(days=1)}
    assert streaks.current_streak(days, START + timedelta(days=2)) == 2
    assert streaks.current_streak(days, START + timedelta(days=3)) == 0
    assert streaks.longest_streak(days) == 2


_members = iter(range(10**6))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(day_sets, todays)
def test_recorded_visits_keep_each_days_streak(app, days, today):
    """Visits recorded in order store each day's run length; the reads agree."""
    n = next(_members)
    member = User(
        email=f"visitor{n}@example.com", display_name="Visitor", password_hash="-"
    )
    db.session.add(member)
    db.session.commit()
    days = {day for day in days if day <= today}
    for day in sorted(days):
        services.record_visit(member, now=_noon(day))
    stored = dict(
        db.session.execute(
            select(VisitDay.day, VisitDay.streak).where(VisitDay.user_id == member.id)
        ).all()
    )
    assert stored == {day: brute_current(days, day) for day in days}
    progress = services.progress_of(member, now=_noon(today))
    assert progress.visit_streak == streaks.current_streak(days, today)
    assert progress.longest_visit_streak == streaks.longest_streak(days)


def _noon(day: date):
    """Return noon UTC of a day."""
    return NOW.replace(year=day.year, month=day.month, day=day.day)


def test_a_visit_is_recorded_once_per_day(make_user):
    """The second visit of a UTC day changes nothing and says so."""
    member = make_user()
    assert services.record_visit(member, now=NOW) == 1
    assert services.record_visit(member, now=NOW + timedelta(hours=3)) is None
    assert services.record_visit(member, now=NOW + timedelta(days=1)) == 2
    rows = db.session.scalars(select(VisitDay).where(VisitDay.user_id == member.id))
    assert len(rows.all()) == 2


def test_visits_are_counted_in_utc_days(make_user):
    """23:30 and 00:30 UTC are two days, whatever the member's own time zone."""
    member = make_user()
    late = NOW.replace(hour=23, minute=30)
    assert services.record_visit(member, now=late) == 1
    assert services.record_visit(member, now=late + timedelta(hours=1)) == 2


def test_contribution_streak_counts_questions_answers_comments_and_votes(
    open_voting, make_user, make_question, make_answer
):
    """Each kind of contribution keeps the streak; a day with none ends it."""
    member = make_user()
    today = NOW.date()
    question = make_question(author=member, now=NOW - timedelta(days=3))
    make_answer(make_question(), author=member, now=NOW - timedelta(days=2))
    posts.add_comment(
        member, question, "Adding the error text here.", now=NOW - timedelta(days=1)
    )
    reputation.cast_vote(member, make_question(), "up", now=NOW)
    assert services.contribution_days(member) == {
        today - timedelta(days=n) for n in range(4)
    }
    assert services.progress_of(member, now=NOW).contribution_streak == 4
    later = services.progress_of(member, now=NOW + timedelta(days=2))
    assert later.contribution_streak == 0


def test_deleted_posts_are_not_contributions(make_user, make_question):
    """A deleted question does not keep a contribution streak going."""
    member = make_user()
    question = make_question(author=member, now=NOW)
    posts.delete_post(member, question)
    assert services.progress_of(member, now=NOW).contribution_streak == 0


def test_the_week_counts_only_this_utc_week(
    open_voting, make_user, make_question, make_answer
):
    """The weekly summary counts from Monday 00:00 UTC, and reputation gained."""
    member = make_user()
    monday = NOW - timedelta(days=NOW.weekday(), hours=12)
    make_question(author=member, now=monday - timedelta(minutes=1))
    mine = make_question(author=member, now=monday)
    make_answer(mine, author=member, now=monday + timedelta(hours=1))
    posts.add_comment(member, mine, "A detail I forgot to add.", now=NOW)
    reputation.cast_vote(make_user(), mine, "up", now=NOW)
    reputation.cast_vote(member, make_question(), "up", now=NOW)
    week = services.progress_of(member, now=NOW).week
    assert week.start == monday.date()
    assert (week.questions, week.answers, week.comments, week.votes) == (1, 1, 1, 1)
    assert week.reputation == 10
    assert week.helped == 0 and not week.goal_done


def test_the_weekly_goal_is_answering_a_colleague(
    make_user, make_question, make_answer
):
    """Answering someone else's question this week meets the weekly goal."""
    member = make_user()
    make_answer(make_question(), author=member, now=NOW)
    week = services.progress_of(member, now=NOW).week
    assert week.helped == 1 and week.goal_done


def test_a_new_member_has_an_honest_no_streak(make_user):
    """Nothing done yet: no visit streak, no contribution streak, an empty week."""
    progress = services.progress_of(make_user(), now=NOW)
    assert (progress.visit_streak, progress.contribution_streak) == (0, 0)
    assert progress.week.questions == 0 and not progress.week.goal_done
