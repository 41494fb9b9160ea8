"""Badge pages, the profile's badges and streaks, and the visit-day hook."""

import re

from sqlalchemy import func, select

from forum.badges import rules, services
from forum.badges.models import VisitDay
from forum.extensions import db


def text_of(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def nice_answers(make_question, make_answer, authors) -> None:
    """Give each author an answer with a score of 10 and award the badges."""
    for author in authors:
        answer = make_answer(make_question(), author=author)
        answer.score = 10
    db.session.commit()
    services.award_badges()


def test_badges_page_lists_every_badge_by_class_with_holders(
    client, make_user, make_question, make_answer
):
    """/badges shows gold, silver and bronze sections, each badge and its holders."""
    nice_answers(make_question, make_answer, [make_user(), make_user()])
    response = client.get("/badges")
    assert response.status_code == 200
    page = text_of(response)
    for heading in ("Gold badges", "Silver badges", "Bronze badges"):
        assert heading in page
    for badge in rules.BADGES:
        assert f'href="/badges/{badge.slug}"' in page
    assert page.index("Gold badges") < page.index("Silver badges")
    card = page[page.index('href="/badges/nice-answer"') :]
    assert re.search(r"2 members", card[: card.index("</li>")])
    assert "Nobody yet" in page


def test_badges_page_takes_the_same_statements_however_many_awards(
    client, make_user, make_question, make_answer, count_queries
):
    """/badges counts holders in one query, whether 1 or 5 members hold badges."""
    counts = []
    for authors in (1, 4):
        nice_answers(make_question, make_answer, [make_user() for _ in range(authors)])
        with count_queries() as counter:
            assert client.get("/badges").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] == 1


def test_badges_page_marks_the_badges_you_hold(
    client, auth, make_user, make_question, make_answer
):
    """A logged-in member sees which badges they already have."""
    member = make_user()
    nice_answers(make_question, make_answer, [member])
    auth.login(member)
    page = text_of(client.get("/badges"))
    assert page.count("✓ You have this") == 2  # Teacher and Nice Answer


def test_badge_page_lists_holders_newest_first_with_their_post(
    client, make_user, make_question, make_answer
):
    """/badges/<slug> names each holder with the post the award is for."""
    first, second = (
        make_user(display_name="Ada First"),
        make_user(display_name="Bo Second"),
    )
    nice_answers(make_question, make_answer, [first])
    nice_answers(make_question, make_answer, [second])
    page = text_of(client.get("/badges/nice-answer"))
    assert "Awarded 2 times" in page
    assert page.index("Bo Second") < page.index("Ada First")
    assert "How do I finish onboarding task number" in page


def test_badge_page_pages_its_holders(client, app, make_user):
    """More holders than fit on a page get page links."""
    from forum.badges.models import BadgeAward

    users = [make_user() for _ in range(51)]
    db.session.add_all(BadgeAward(user_id=u.id, badge="editor") for u in users)
    db.session.commit()
    first = text_of(client.get("/badges/editor"))
    assert "Awarded 51 times" in first
    assert 'rel="next"' in first
    second = text_of(client.get("/badges/editor?page=2"))
    assert second.count('class="user-link"') == 1


def test_unknown_badge_page_is_404(client):
    """A slug that names no badge is a 404 page."""
    assert client.get("/badges/astronaut").status_code == 404


def test_profile_shows_the_members_badges_to_everyone(
    client, make_user, make_question, make_answer
):
    """Anyone can see a member's badges and their totals on the profile."""
    member = make_user()
    nice_answers(make_question, make_answer, [member])
    page = text_of(client.get(f"/users/{member.id}"))
    assert 'id="badges-title"' in page
    assert "Nice Answer" in page and "Teacher" in page
    assert "2 bronze" in page


def test_profile_without_badges_says_so(client, make_user):
    """A member with no badges gets a plain note and a link to how they are earned."""
    page = text_of(client.get(f"/users/{make_user().id}"))
    assert "No badges yet." in page
    assert 'href="/badges"' in page


def test_streaks_and_week_are_shown_only_to_the_member(client, auth, make_user):
    """The streaks section is on your own profile and nobody else's."""
    member, other = make_user(), make_user()
    auth.login(member)
    own = text_of(client.get(f"/users/{member.id}"))
    assert "Your streaks and week" in own
    assert "Only you can see this section." in own
    assert "Visit streak" in own
    assert re.search(
        r"progress-value\">1 day</p>\s*<p class=\"progress-note\">in a row", own
    )
    assert "No streak right now" in own  # no contributions yet: honest
    assert "Weekly goal" in own and "Not yet" in own
    assert "Your streaks and week" not in text_of(client.get(f"/users/{other.id}"))
    auth.logout()
    assert "Your streaks and week" not in text_of(client.get(f"/users/{member.id}"))


def test_a_visit_day_is_recorded_on_the_first_request_of_the_day(
    client, auth, make_user, count_queries
):
    """The first request of a UTC day records it; later ones do not touch the table."""
    member = make_user()
    auth.login(member)
    client.get("/")
    with count_queries() as counter:
        client.get("/")
    assert not any("visit_days" in s for s in counter.statements)
    days = db.session.scalar(
        select(func.count()).select_from(VisitDay).where(VisitDay.user_id == member.id)
    )
    assert days == 1


def test_anonymous_visits_record_nothing(client):
    """Visitors who are not logged in leave no visit days."""
    client.get("/")
    assert db.session.scalar(select(func.count()).select_from(VisitDay)) == 0
