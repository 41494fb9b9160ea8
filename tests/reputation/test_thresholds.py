"""Privileges: profiles, the auto formula, overrides and refusal messages."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum.accounts.models import User
from forum.extensions import db, utcnow
from forum.reputation import thresholds
from forum.reputation.thresholds import LARGE, SMALL

STACK_OVERFLOW = {
    "create_posts": 1,
    "vote_up": 15,
    "flag_posts": 15,
    "comment_everywhere": 50,
    "vote_down": 125,
    "create_tags": 1500,
    "access_review_queues": 500,
    "edit_any_post": 2000,
    "cast_close_votes": 3000,
    "edit_tag_wikis": 5000,
    "see_deleted": 10000,
    "protect_questions": 15000,
    "trusted_user": 20000,
}

members = st.integers(min_value=0, max_value=1_000_000)


def test_small_profile_is_the_default(app):
    """Without configuration the thresholds are the small community's."""
    assert thresholds.current_thresholds() == {
        "create_posts": 1,
        "vote_up": 15,
        "flag_posts": 15,
        "comment_everywhere": 50,
        "vote_down": 100,
        "create_tags": 300,
        "access_review_queues": 350,
        "edit_any_post": 1000,
        "cast_close_votes": 1500,
        "edit_tag_wikis": 2000,
        "see_deleted": 5000,
        "protect_questions": 7500,
        "trusted_user": 10000,
    }


def test_large_profile_is_stack_overflows(app):
    """The large profile uses Stack Overflow's own thresholds."""
    app.config["PRIVILEGE_PROFILE"] = "large"
    assert thresholds.current_thresholds() == STACK_OVERFLOW
    assert thresholds.threshold("vote_down") == 125


def test_overrides_win_over_the_profile(app):
    """PRIVILEGE_THRESHOLDS changes single privileges whatever the profile."""
    app.config["PRIVILEGE_PROFILE"] = "large"
    app.config["PRIVILEGE_THRESHOLDS"] = {"cast_close_votes": 500}
    assert thresholds.threshold("cast_close_votes") == 500
    assert thresholds.threshold("vote_down") == 125


def test_bad_configuration_is_refused_clearly(app):
    """An unknown profile, privilege or override names the mistake."""
    app.config["PRIVILEGE_PROFILE"] = "medium"
    with pytest.raises(ValueError, match="PRIVILEGE_PROFILE"):
        thresholds.threshold("vote_up")
    app.config["PRIVILEGE_PROFILE"] = "small"
    app.config["PRIVILEGE_THRESHOLDS"] = {"vote_sideways": 3}
    with pytest.raises(ValueError, match="vote_sideways"):
        thresholds.threshold("vote_up")
    app.config["PRIVILEGE_THRESHOLDS"] = {}
    with pytest.raises(ValueError, match="unknown privilege"):
        thresholds.threshold("fly")


@given(a=members, b=members)
def test_auto_thresholds_grow_with_active_members(a, b):
    """With more active members no auto threshold goes down."""
    low, high = sorted((a, b))
    smaller = thresholds.thresholds_for("auto", low)
    larger = thresholds.thresholds_for("auto", high)
    assert all(smaller[name] <= larger[name] for name in SMALL)


@given(active=members)
def test_auto_thresholds_stay_between_small_and_large(active):
    """Auto thresholds are never below small's nor above large's."""
    table = thresholds.thresholds_for("auto", active)
    assert all(SMALL[name] <= table[name] <= LARGE[name] for name in SMALL)


@given(active=members)
def test_profiles_are_honoured(active):
    """Small and large ignore the member count; auto meets them at its ends."""
    assert thresholds.thresholds_for("small", active) == SMALL
    assert thresholds.thresholds_for("large", active) == LARGE
    if active <= 100:
        assert thresholds.thresholds_for("auto", active) == SMALL
    if active >= 20_000:
        assert thresholds.thresholds_for("auto", active) == LARGE


def test_auto_lands_on_nice_numbers_in_between():
    """A 2,000-member community gets rounded thresholds between the profiles."""
    table = thresholds.thresholds_for("auto", 2000)
    assert table["vote_down"] == 110
    assert table["cast_close_votes"] == 2200
    assert table["trusted_user"] == 15000


def test_auto_counts_members_seen_in_the_last_90_days(app):
    """The auto profile counts members seen in the last 90 days, no one else."""
    app.config["PRIVILEGE_PROFILE"] = "auto"
    app.config["PRIVILEGE_ACTIVE_CACHE_SECONDS"] = 0
    now = utcnow()
    for n in range(2000):
        seen = now - timedelta(days=10 if n < 1000 else 100)
        db.session.add(
            User(
                email=f"bulk{n}@example.com",
                display_name=f"Bulk {n}",
                password_hash="x",
                last_seen_at=seen,
            )
        )
    db.session.commit()
    assert thresholds.active_members(now) == 1000
    assert thresholds.threshold("trusted_user") == thresholds.auto_threshold(
        10000, 20000, 1000
    )
    assert 10000 < thresholds.threshold("trusted_user") < 20000


def test_privileges_table_lists_each_with_what_it_allows(app):
    """The table lists every privilege, lowest threshold first, with its use."""
    table = thresholds.privileges_table()
    assert len(table) == 13
    assert [row.threshold for row in table] == sorted(row.threshold for row in table)
    vote_down = next(row for row in table if row.name == "vote_down")
    assert (vote_down.label, vote_down.threshold) == ("Vote down", 100)
    assert all(row.allows.endswith(".") for row in table)


def test_moderators_hold_every_privilege(make_user):
    """Moderators and admins hold every privilege whatever their reputation."""
    moderator, admin = make_user(role="moderator"), make_user(role="admin")
    member = make_user(reputation=999)
    for privilege in SMALL:
        assert thresholds.holds(moderator, privilege)
        assert thresholds.holds(admin, privilege)
    assert thresholds.holds(member, "vote_down")
    assert not thresholds.holds(member, "edit_any_post")
    assert not thresholds.holds(None, "create_posts")


def test_refusal_names_the_privilege_and_the_reputation(make_user):
    """A refusal says which privilege is missing and how much reputation it needs."""
    member = make_user(reputation=40)
    message = thresholds.missing_privilege_message(member, "comment_everywhere")
    assert "Comment everywhere" in message
    assert "50 reputation" in message and "you have 40" in message
    assert "10 to go" in message
    anonymous = thresholds.missing_privilege_message(None, "vote_up")
    assert "Log in" in anonymous and "15 reputation" in anonymous
