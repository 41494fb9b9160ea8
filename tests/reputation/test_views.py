"""Pages: voting without JavaScript, the member list, reputation history, privileges."""

import re
from datetime import timedelta

import pytest

from forum.extensions import db, utcnow
from forum.posts.services import slugify
from forum.reputation import services
from forum.reputation.models import CommentVote, Vote


def url_of(question) -> str:
    """Return a question's canonical path."""
    return f"/questions/{question.id}/{slugify(question.title)}"


def text(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


@pytest.fixture
def thread(make_question, make_answer):
    """Return a question and its answer, by two members at 1."""
    question = make_question(title="Where do I collect my new ID badge?")
    answer = make_answer(question, body="Reception hands them out after 10 am.")
    return question, answer


# ---- voting without JavaScript ----


def test_voting_without_javascript_goes_back_to_the_post(
    client, auth, make_user, thread
):
    """A plain form post votes, and the page comes back at the post with a message."""
    question, answer = thread
    auth.login(make_user(reputation=15))
    response = client.post(f"/posts/{answer.id}/vote", data={"direction": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"{url_of(question)}#answer-{answer.id}"
    )
    page = text(client.get(response.headers["Location"]))
    assert "You voted this answer up. Score: 1." in page
    assert answer.score == 1 and answer.author.reputation == 11
    pressed = re.findall(r'<button [^>]*aria-pressed="true"[^>]*>', page)
    assert len(pressed) == 1 and 'value="up"' in pressed[0]
    # The same arrow again takes the vote back.
    response = client.post(
        f"/posts/{answer.id}/vote", data={"direction": "up"}, follow_redirects=True
    )
    assert "Your vote is taken back. Score: 0." in text(response)


def test_the_page_shows_which_arrows_the_member_pressed(
    client, auth, make_user, thread
):
    """The member's own vote shows as a pressed arrow; the others are not pressed."""
    question, answer = thread
    voter = make_user(reputation=100)
    services.cast_vote(voter, answer, "down")
    auth.login(voter)
    page = text(client.get(url_of(question)))
    buttons = re.findall(r'<button type="submit" name="direction"[^>]*>', page)
    pressed = [b for b in buttons if 'aria-pressed="true"' in b]
    assert len(buttons) == 4 and len(pressed) == 1
    assert 'value="down"' in pressed[0]
    assert page.count("Vote up this answer") == 1
    assert page.count("Vote down this question") == 1


def test_a_refused_vote_says_which_privilege_is_missing(
    client, auth, make_user, thread
):
    """A member below 15 is told they need "Vote up" and how far they are from it."""
    question, answer = thread
    auth.login(make_user())
    response = client.post(
        f"/posts/{question.id}/vote", data={"direction": "up"}, follow_redirects=True
    )
    page = text(response)
    assert "Vote up" in page and "15 reputation" in page and "14 to go" in page
    assert question.score == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_voting_on_your_own_post_is_refused_with_a_message(client, auth, thread):
    """Your own post takes no vote; the page says so."""
    question, _ = thread
    auth.login(question.author)
    response = client.post(
        f"/posts/{question.id}/vote", data={"direction": "up"}, follow_redirects=True
    )
    assert "You can&#39;t vote on your own post." in text(response)


def test_comment_votes_without_javascript(client, auth, make_user, thread):
    """The arrow on a comment votes it up and comes back to the comment."""
    from forum.posts import services as posts

    question, answer = thread
    comment = posts.add_comment(
        question.author, answer, "Does it open at 9 on Fridays?"
    )
    auth.login(make_user(reputation=15))
    response = client.post(f"/comments/{comment.id}/vote")
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    assert db.session.get(CommentVote, 1) is not None
    page = text(client.get(response.headers["Location"]))
    assert "You voted this comment up." in page
    assert "Vote up this comment" in page


def test_visitors_see_scores_and_a_login_link(client, thread):
    """Anonymous visitors see each score and a link to log in, and no arrows."""
    question, answer = thread
    page = text(client.get(url_of(question)))
    assert 'name="direction"' not in page
    assert page.count("Log in to vote") == 2
    assert "/login?next=" in page and f"%23answer-{answer.id}" in page


def test_voting_needs_a_login(client, thread):
    """A vote posted without a session goes to the login page."""
    question, _ = thread
    response = client.post(f"/posts/{question.id}/vote", data={"direction": "up"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_comment_form_explains_the_privilege_to_newcomers(
    client, auth, make_user, thread
):
    """Below 50 the comment box on others' posts gives way to the reason."""
    question, answer = thread
    auth.login(answer.author)
    page = text(client.get(url_of(question)))
    assert f'id="comment-body-{answer.id}"' in page
    assert f'id="comment-body-{question.id}"' not in page
    assert "Commenting on others' posts needs the" in page


def test_a_refused_comment_keeps_its_text(client, auth, make_user, thread):
    """A comment refused for lack of reputation comes back with its text and why."""
    question, _ = thread
    auth.login(make_user())
    response = client.post(
        f"/posts/{question.id}/comments", data={"body": "Ask at the main desk maybe?"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "Ask at the main desk maybe?</textarea>" in page
    assert "Comment everywhere" in page and "50 reputation" in page


def test_a_new_tag_is_refused_on_the_ask_page_with_the_text_kept(
    client, auth, make_user
):
    """Asking with a tag nobody used yet explains the privilege and keeps the text."""
    auth.login(make_user())
    response = client.post(
        "/questions/ask",
        data={
            "title": "How do I book the big meeting room?",
            "body": "The booking page says I have no rights for the big room.",
            "tags": "rooms",
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "“rooms” is a new tag" in page and "300 reputation" in page
    assert 'value="How do I book the big meeting room?"' in page


def test_missing_privilege_page_links_to_the_privileges(
    client, auth, make_user, make_question
):
    """A page refused for lack of reputation says why and links to the help."""
    make_question(tags="onboarding")
    auth.login(make_user(reputation=1999))
    response = client.get("/tags/onboarding/edit")
    assert response.status_code == 403
    page = text(response)
    assert "Edit tag wikis" in page and "2,000 reputation" in page
    assert 'href="/help/privileges#privilege-edit_tag_wikis"' in page
    auth.login(make_user(reputation=2000))
    assert client.get("/tags/onboarding/edit").status_code == 200


def test_editing_others_posts_is_refused_with_the_reason(
    client, auth, make_user, thread
):
    """The edit page of someone else's post explains "edit any post" below 1,000."""
    question, _ = thread
    auth.login(make_user(reputation=999))
    response = client.get(f"/posts/{question.id}/edit")
    assert response.status_code == 403
    assert "Edit any post" in text(response) and "1,000 reputation" in text(response)


# ---- the member list and leaderboards ----


@pytest.fixture
def members(make_user):
    """Return three members who joined on different days with different reputation."""
    now = utcnow()
    names = [("Zoe Adams", 40, 3), ("adam Brown", 500, 2), ("Mia Clark", 7, 1)]
    made = []
    for name, reputation, days in names:
        user = make_user(display_name=name, reputation=reputation)
        user.created_at = now - timedelta(days=days)
        made.append(user)
    db.session.commit()
    return made


def order(page: str, names) -> list[str]:
    """Return the names in the order the page lists them."""
    return sorted(names, key=page.index)


def test_users_sort_by_reputation_new_and_name(client, members):
    """/users sorts members by reputation (default), newest first, or name."""
    names = ["Zoe Adams", "adam Brown", "Mia Clark"]
    page = text(client.get("/users"))
    assert order(page, names) == ["adam Brown", "Zoe Adams", "Mia Clark"]
    assert "500</strong> reputation" in page
    page = text(client.get("/users?sort=new"))
    assert order(page, names) == ["Mia Clark", "adam Brown", "Zoe Adams"]
    page = text(client.get("/users?sort=name"))
    assert order(page, names) == ["adam Brown", "Mia Clark", "Zoe Adams"]
    assert text(client.get("/users?sort=bogus")).count('class="member-card"') == 3


def test_users_can_be_found_by_name(client, members):
    """The name filter keeps members whose name contains the words, any case."""
    page = text(client.get("/users?q=CLARK"))
    assert "Mia Clark" in page and "Zoe Adams" not in page
    assert "No members with “%” in their name." in text(client.get("/users?q=%"))


def test_leaderboards_rank_reputation_gained_in_the_period(
    app, client, make_user, make_question
):
    """Weekly to all-time leaderboards rank what was gained, overall and per tag."""
    app.config["PRIVILEGE_THRESHOLDS"] = {"vote_up": 1}
    now = utcnow()
    veteran, newcomer = (
        make_user(display_name="Old Hand"),
        make_user(display_name="New Star"),
    )
    old = make_question(author=veteran, tags="payroll")
    new = make_question(author=newcomer, tags="vpn")
    for voter in (make_user(), make_user()):
        services.cast_vote(voter, old, "up", now=now - timedelta(days=400))
    services.cast_vote(make_user(), new, "up", now=now)
    week = text(client.get("/users?period=week"))
    assert "New Star" in week and "Old Hand" not in week
    assert "+10</strong> reputation this week" in week
    everything = text(client.get("/users?period=all"))
    assert order(everything, ["Old Hand", "New Star"]) == ["Old Hand", "New Star"]
    payroll = text(client.get("/users?tag=payroll"))
    assert "Old Hand" in payroll and "New Star" not in payroll
    assert "Leaderboard for" in payroll
    assert "Nobody earned reputation this year in payroll yet." in text(
        client.get("/users?period=year&tag=payroll")
    )
    assert "There is no tag" in text(client.get("/users?tag=nope"))


def test_the_top_bar_links_to_users(client):
    """Every page's top bar links to the member list."""
    assert '<a href="/users"' in text(client.get("/"))


# ---- reputation history ----


def test_history_groups_changes_by_day_with_reasons_and_links(
    client, make_user, thread
):
    """The history lists each change under its UTC day, with reason and post link."""
    question, answer = thread
    now = utcnow().replace(hour=12)
    services.cast_vote(
        make_user(reputation=15), answer, "up", now=now - timedelta(days=1)
    )
    services.cast_vote(make_user(reputation=15), answer, "up", now=now)
    page = text(client.get(f"/users/{answer.author.id}/reputation"))
    today, yesterday = now.date(), (now - timedelta(days=1)).date()
    assert page.index(f'datetime="{today.isoformat()}"') < page.index(
        f'datetime="{yesterday.isoformat()}"'
    )
    assert page.count("Answer voted up") == 2
    assert f'href="/posts/{answer.id}">{question.title}</a>' in page
    assert '<strong class="rep-total">21</strong>' in page


def test_history_pages_by_day(client, make_user):
    """The history shows 20 days a page, newest first, and links to older days."""
    member = make_user()
    start = utcnow().replace(hour=12)
    for day in range(21):
        services.record_bonus(member, 1, start - timedelta(days=day))
    db.session.commit()
    first = text(client.get(f"/users/{member.id}/reputation"))
    assert first.count('class="rep-day"') == 20 and "page=2" in first
    second = text(client.get(f"/users/{member.id}/reputation?page=2"))
    oldest = (start - timedelta(days=20)).date().isoformat()
    assert second.count('class="rep-day"') == 1 and oldest in second


def test_history_of_a_newcomer_and_of_nobody(client, make_user):
    """A member with no changes sees the start of 1; an unknown member is a 404."""
    member = make_user()
    assert "starting reputation of 1" in text(
        client.get(f"/users/{member.id}/reputation")
    )
    assert client.get("/users/999999/reputation").status_code == 404


def test_profile_links_reputation_to_its_history(client, make_user):
    """The reputation on a profile links to the history."""
    member = make_user()
    assert f'href="/users/{member.id}/reputation"' in text(
        client.get(f"/users/{member.id}")
    )


# ---- privileges ----


def test_privileges_help_lists_each_privilege_with_threshold(client):
    """/help/privileges lists every privilege, what it allows and its threshold."""
    page = text(client.get("/help/privileges"))
    for label, threshold in [
        ("Create posts", "1"),
        ("Vote up", "15"),
        ("Comment everywhere", "50"),
        ("Vote down", "100"),
        ("Create tags", "300"),
        ("Edit any post", "1,000"),
        ("Edit tag wikis", "2,000"),
        ("Trusted user", "10,000"),
    ]:
        assert re.search(
            rf"{label}</h2>\s*<p class=\"privilege-threshold\"><strong>{threshold}<",
            page,
        ), label
    assert page.count('class="privilege') >= 13
    assert "Log in</a> to see how far you are" in page


def test_privileges_help_shows_progress_for_a_member(client, auth, make_user):
    """A logged-in member sees which privileges they hold and how far the next are."""
    auth.login(make_user(reputation=60))
    page = text(client.get("/help/privileges"))
    assert page.count("You have this privilege.") == 4
    assert "40 to go" in page  # vote down at 100
    assert '<progress max="100" value="60"' in page


def test_privileges_help_follows_the_configuration(app, client):
    """Thresholds on the help page are the configured ones."""
    app.config["PRIVILEGE_PROFILE"] = "large"
    page = text(client.get("/help/privileges"))
    assert re.search(
        r"Vote down</h2>\s*<p class=\"privilege-threshold\"><strong>125<", page
    )
