"""The one permission check: can() for every privilege and every post action."""

import pytest

from forum.extensions import db
from forum.posts import services as posts
from forum.reputation.privileges import MissingPrivilege, can
from forum.reputation.thresholds import CATALOGUE, SMALL


@pytest.fixture
def member_at(make_user):
    """Return a factory for members with exactly this reputation."""

    def factory(reputation: int, **traits):
        """Register a member and set their reputation (0 included)."""
        user = make_user(**traits)
        user.reputation = reputation
        db.session.commit()
        return user

    return factory


@pytest.mark.parametrize("privilege", sorted(CATALOGUE))
def test_each_privilege_comes_at_its_threshold(app, member_at, privilege):
    """A member holds a privilege at its threshold and not one point below."""
    threshold = SMALL[privilege]
    assert not can(member_at(threshold - 1), privilege)
    assert can(member_at(threshold), privilege)


@pytest.mark.parametrize("privilege", sorted(CATALOGUE))
def test_staff_hold_every_privilege_and_visitors_none(member_at, privilege):
    """Moderators and admins hold every privilege; anonymous visitors hold none."""
    assert can(member_at(1, role="moderator"), privilege)
    assert can(member_at(1, role="admin"), privilege)
    assert not can(None, privilege)


def test_thresholds_follow_the_configuration(app, member_at):
    """can() reads the configured threshold, so a profile or override moves it."""
    member = member_at(120)
    assert can(member, "vote_down")
    app.config["PRIVILEGE_PROFILE"] = "large"
    assert not can(member, "vote_down")
    app.config["PRIVILEGE_THRESHOLDS"] = {"vote_down": 120}
    assert can(member, "vote_down")


def test_posting_needs_the_create_posts_privilege(member_at, make_question):
    """Asking and answering need "create posts" (1), which every member starts with."""
    question = make_question()
    assert can(member_at(1), "ask") and can(member_at(1), "answer", question)
    assert not can(member_at(0), "ask")
    assert not can(member_at(0), "answer", question)


def test_commenting_on_your_own_thread_is_always_allowed(
    member_at, make_question, make_answer
):
    """Your own posts and the answers to your questions take your comments at 1."""
    asker, answerer = member_at(1), member_at(1)
    question = make_question(author=asker)
    answer = make_answer(question, author=answerer)
    other_answer = make_answer(question)
    assert can(asker, "comment", question)
    assert can(asker, "comment", answer) and can(asker, "comment", other_answer)
    assert can(answerer, "comment", answer)
    assert not can(answerer, "comment", question)
    assert not can(answerer, "comment", other_answer)


def test_commenting_elsewhere_needs_comment_everywhere(member_at, make_question):
    """Comments on others' posts need 50 reputation; deleted posts take none."""
    question = make_question()
    assert not can(member_at(49), "comment", question)
    assert can(member_at(50), "comment", question)
    posts.delete_post(question.author, question)
    assert not can(member_at(50), "comment", question)
    assert can(member_at(1, role="moderator"), "comment", question)


def test_editing_others_posts_needs_edit_any_post(member_at, make_question):
    """Authors edit their posts; others need 1,000 reputation."""
    question = make_question()
    assert can(question.author, "edit", question)
    assert not can(member_at(999), "edit", question)
    assert can(member_at(1000), "edit", question)


def test_seeing_deleted_posts_needs_the_privilege(member_at, make_question):
    """Authors see their deleted posts; others need 5,000 reputation."""
    question = make_question()
    posts.delete_post(question.author, question)
    assert can(question.author, "see_deleted", question)
    assert not can(member_at(4999), "see_deleted", question)
    assert can(member_at(5000), "see_deleted", question)


def test_actions_outside_reputation_keep_their_rules(member_at, make_question):
    """Deleting, accepting and moderating do not come with reputation."""
    question = make_question()
    trusted = member_at(100_000)
    assert not can(trusted, "delete", question)
    assert not can(trusted, "accept", question)
    assert not can(trusted, "moderate")
    assert can(question.author, "accept", question)
    with pytest.raises(ValueError):
        can(trusted, "fly")


def test_missing_privilege_names_it_and_its_threshold(member_at):
    """The refusal carries the privilege, its label, the threshold and your figure."""
    refusal = MissingPrivilege(member_at(40), "comment_everywhere")
    assert refusal.status == 403 and refusal.code == "missing_privilege"
    assert refusal.details() == {
        "privilege": "comment_everywhere",
        "privilege_label": "Comment everywhere",
        "reputation_needed": 50,
        "reputation": 40,
    }
    assert "Comment everywhere" in refusal.message and "10 to go" in refusal.message
    assert MissingPrivilege(None, "vote_up").details()["reputation"] is None
