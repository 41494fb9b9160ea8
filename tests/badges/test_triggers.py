"""Badges arrive when the event that earns them commits, whichever service makes it."""

import logging

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.badges import services as badges
from forum.extensions import db
from forum.notifications.models import Notification
from forum.posts import services as posts
from forum.posts.models import Comment
from forum.reputation import services as reputation
from tests.badges.conftest import awards_of, holds


def test_voting_an_answer_to_ten_gives_nice_answer_after_the_commit(
    open_voting, make_user, make_question, make_answer
):
    """The tenth up vote's commit awards Nice Answer to the answer's author."""
    answer = make_answer(make_question())
    voters = [make_user() for _ in range(10)]
    for voter in voters[:9]:
        reputation.cast_vote(voter, answer, "up")
    assert not holds(answer.author, "nice-answer")
    reputation.cast_vote(voters[9], answer, "up")
    assert holds(answer.author, "nice-answer")
    inbox = db.session.scalars(
        select(Notification.text).where(Notification.user_id == answer.author_id)
    )
    assert any("Nice Answer" in text for text in inbox)


def test_the_first_up_vote_gives_supporter_and_the_author_teacher(
    open_voting, make_user, make_question, make_answer
):
    """One up vote: Supporter for the voter, Teacher for the answer's author."""
    answer = make_answer(make_question())
    voter = make_user()
    reputation.cast_vote(voter, answer, "up")
    assert holds(voter, "supporter")
    assert holds(answer.author, "teacher")


def test_switching_a_vote_down_gives_critic(
    open_voting, make_user, make_question, make_answer
):
    """Switching an up vote to a down vote counts as the first down vote."""
    answer = make_answer(make_question())
    voter = make_user()
    reputation.cast_vote(voter, answer, "up")
    reputation.cast_vote(voter, answer, "down")
    assert holds(voter, "critic")


def test_accepting_gives_scholar_and_the_answerer_their_badges(
    make_question, make_answer
):
    """Accepting a colleague's answer awards Scholar to the asker at once."""
    question = make_question()
    answer = make_answer(question)
    answer.score = 40
    db.session.commit()
    posts.accept_answer(question.author, answer)
    assert holds(question.author, "scholar")
    assert holds(answer.author, "guru")
    assert holds(answer.author, "enlightened")


def test_an_edit_gives_editor(make_question):
    """Saving an edit awards Editor to the editor."""
    question = make_question()
    posts.edit_post(
        question.author,
        question,
        body="The same question with the error message I get, for clarity.",
        title=question.title,
        tags="onboarding",
    )
    assert holds(question.author, "editor")


def test_the_tenth_comment_gives_commentator(make_question):
    """The tenth comment's commit awards Commentator."""
    question = make_question()
    member = question.author
    for n in range(9):
        posts.add_comment(member, question, f"Another thought, number {n}, here.")
    assert not holds(member, "commentator")
    posts.add_comment(member, question, "And a tenth thought to round it off.")
    assert holds(member, "commentator")


def test_filling_in_about_gives_autobiographer(make_user):
    """Saving an About text awards Autobiographer."""
    member = make_user()
    accounts.update_profile(member, member.display_name, "I look after the VPN.")
    assert holds(member, "autobiographer")


def test_a_counted_view_can_make_a_question_popular(thresholds, make_question):
    """The view that reaches the threshold awards Popular Question to the asker."""
    thresholds(popular_question=2)
    question = make_question()
    posts.record_view(question.id, "viewer-one")
    assert not holds(question.author, "popular-question")
    posts.record_view(question.id, "viewer-two")
    assert holds(question.author, "popular-question")


def test_a_rolled_back_change_awards_nothing(make_question):
    """Members noted in a transaction that rolls back are not looked at."""
    question = make_question()
    question.score = 10  # a cached figure: changing it alone notes no one
    db.session.commit()
    db.session.add(
        Comment(
            post_id=question.id,
            author_id=question.author_id,
            body_markdown="A remark that never lands.",
            body_html="A remark that never lands.",
        )
    )
    db.session.flush()
    db.session.rollback()
    assert not holds(question.author, "nice-question")
    posts.add_comment(question.author, question, "A remark that does land, at last.")
    assert holds(question.author, "nice-question")


def test_a_failure_while_awarding_never_fails_the_service(
    make_question, monkeypatch, caplog
):
    """An error in the awarding is logged; the member's own change stays committed."""

    def broken(session, user_id):
        """Fail the way a bug would."""
        raise RuntimeError("badge rules broke")

    monkeypatch.setattr(badges, "_due", broken)
    question = make_question()
    comment = posts.add_comment(question.author, question, "Still saved, thankfully.")
    assert db.session.get(Comment, comment.id) is not None
    assert awards_of(question.author) == []
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures and "badge rules broke" in failures[0].exc_text
    caplog.clear()  # the autouse check would otherwise fail this test


def test_votes_imported_in_bulk_award_badges_too(make_user, make_question):
    """Votes loaded by the bulk import (the demo seed) award badges after its commit."""
    question = make_question()
    voters = [make_user() for _ in range(10)]
    reputation.import_votes(
        [
            reputation.PastVote(voter.id, question.id, 1, question.created_at)
            for voter in voters
        ]
    )
    assert holds(question.author, "nice-question")
    assert all(holds(voter, "supporter") for voter in voters)
