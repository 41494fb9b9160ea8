"""The ledger under random use: cached figures always equal the recomputation.

The machine votes, undoes, switches, accepts, unaccepts, deletes, undeletes, edits,
deletes as spam and lets time pass, across several members and posts. Acceptance
and deletion go through the posts services, which call the ledger helpers.
"""

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from forum.accounts.models import User
from forum.errors import DomainError
from forum.extensions import db
from forum.posts import services as posts
from forum.posts.models import Post
from forum.reputation import services
from tests.reputation.conftest import NOW

MEMBERS = 4
CAP = 15
VOTES_PER_DAY = 6
LOCK = timedelta(minutes=5)


def _reset_database() -> None:
    """Empty every table so each example starts from nothing."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()


class LedgerMachine(RuleBasedStateMachine):
    """Random vote, acceptance and deletion sequences against a model of the votes."""

    def __init__(self):
        super().__init__()
        _reset_database()
        self.now = NOW
        self.members = []
        for n in range(MEMBERS):
            user = User(
                email=f"ledger{n}@example.com",
                display_name=f"Ledger {n}",
                password_hash="unused",
            )
            self.members.append(user)
        self.moderator = User(
            email="ledger-mod@example.com",
            display_name="Ledger moderator",
            password_hash="unused",
            role="moderator",
        )
        db.session.add_all([*self.members, self.moderator])
        db.session.commit()
        self.voters = [*self.members, self.moderator]
        u = self.members
        self.questions = [
            posts.ask_question(
                u[0], "How do I book a meeting room?", "Body " * 10, "rooms", now=NOW
            ),
            posts.ask_question(
                u[1], "Where is the expense policy kept?", "Body " * 10, "hr", now=NOW
            ),
        ]
        self.answers = [
            posts.post_answer(u[1], self.questions[0], "Answer " * 8, now=NOW),
            posts.post_answer(u[2], self.questions[0], "Answer " * 8, now=NOW),
            posts.post_answer(u[0], self.questions[1], "Answer " * 8, now=NOW),
            posts.post_answer(u[1], self.questions[1], "Answer " * 8, now=NOW),
        ]
        self.posts = [*self.questions, *self.answers]
        # (voter id, post id) -> (value, when it was last cast)
        self.votes: dict[tuple[int, int], tuple[int, object]] = {}
        self.edits = 0

    # ---- helpers ----

    def _gone(self, post) -> bool:
        """Tell whether a post is deleted or answers a deleted question."""
        if post.is_deleted:
            return True
        return not post.is_question and db.session.get(Post, post.parent_id).is_deleted

    def _expected_refusal(self, voter, post, value):
        """Return the error a vote must meet under the rules, or None."""
        old, cast_at = self.votes.get((voter.id, post.id), (0, None))
        new = 0 if old == value else value
        if post.author_id == voter.id:
            return "own"
        if self._gone(post):
            return "deleted"
        if old and self.now - cast_at > LOCK:
            edited = post.last_edited_at
            if edited is None or edited <= cast_at:
                return "locked"
        if new:
            start = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
            today = sum(
                1
                for (voter_id, post_id), (_, when) in self.votes.items()
                if voter_id == voter.id
                and post_id != post.id
                and start <= when < start + timedelta(days=1)
            )
            if today >= VOTES_PER_DAY:
                return "limit"
        return None

    def _click(self, voter, post, direction):
        """Click an arrow and check the outcome against the model."""
        value = 1 if direction == "up" else -1
        refusal = self._expected_refusal(voter, post, value)
        score_before = post.score
        try:
            result = services.cast_vote(voter, post, direction, now=self.now)
        except DomainError as error:
            assert refusal is not None, f"refused unexpectedly: {error.message}"
            assert db.session.get(Post, post.id).score == score_before
            return
        assert refusal is None, f"allowed although {refusal}"
        old, _ = self.votes.get((voter.id, post.id), (0, None))
        new = 0 if old == value else value
        assert result.vote == new
        if new:
            self.votes[(voter.id, post.id)] = (new, self.now)
        else:
            self.votes.pop((voter.id, post.id), None)

    # ---- rules ----

    @initialize(
        bonuses=st.lists(st.integers(0, 40), min_size=MEMBERS, max_size=MEMBERS)
    )
    def give_starting_reputation(self, bonuses):
        """Give some members some reputation to lose."""
        for user, bonus in zip(self.members, bonuses, strict=True):
            if bonus:
                services.record_bonus(user, bonus, self.now)
        db.session.commit()

    @rule(
        voter=st.integers(0, MEMBERS),
        post=st.integers(0, 5),
        direction=st.sampled_from(["up", "down"]),
    )
    def vote(self, voter, post, direction):
        """Click an arrow on a post."""
        self._click(self.voters[voter], self.posts[post], direction)

    @precondition(lambda self: self.votes)
    @rule(data=st.data(), same=st.booleans())
    def undo_or_switch(self, data, same):
        """Click the same arrow again (undo) or the other one (switch)."""
        voter_id, post_id = data.draw(st.sampled_from(sorted(self.votes)))
        value, _ = self.votes[(voter_id, post_id)]
        direction = (
            ("up" if value > 0 else "down") if same else ("down" if value > 0 else "up")
        )
        voter = next(v for v in self.voters if v.id == voter_id)
        post = next(p for p in self.posts if p.id == post_id)
        self._click(voter, post, direction)

    @rule(answer=st.integers(0, 3))
    def accept(self, answer):
        """Let the asker accept an answer."""
        answer = self.answers[answer]
        question = db.session.get(Post, answer.parent_id)
        asker = next(u for u in self.members if u.id == question.author_id)
        try:
            posts.accept_answer(asker, answer, now=self.now)
        except DomainError:
            assert answer.is_deleted or question.is_deleted

    @rule(question=st.integers(0, 1))
    def unaccept(self, question):
        """Let the asker remove the acceptance."""
        question = self.questions[question]
        asker = next(u for u in self.members if u.id == question.author_id)
        try:
            posts.unaccept_answer(asker, question, now=self.now)
        except DomainError:
            assert question.is_deleted

    @rule(post=st.integers(0, 5), as_spam=st.booleans())
    def delete(self, post, as_spam):
        """Let a moderator delete a post, perhaps as spam."""
        post = self.posts[post]
        posts.delete_post(self.moderator, post, now=self.now)
        if as_spam:
            services.record_spam_deletion(post, self.moderator, self.now)
            db.session.commit()

    @rule(post=st.integers(0, 5))
    def undelete(self, post):
        """Let a moderator undelete a post."""
        post = self.posts[post]
        try:
            posts.undelete_post(self.moderator, post, now=self.now)
        except DomainError:
            assert db.session.get(Post, post.parent_id).is_deleted

    @rule(post=st.integers(0, 5))
    def edit(self, post):
        """Let a moderator edit a post, which unlocks the votes cast before."""
        post = self.posts[post]
        self.edits += 1
        body = f"{post.body_markdown.split(' #')[0]} #{self.edits}"
        posts.edit_post(
            self.moderator,
            post,
            body=body,
            title=post.title,
            tags="rooms" if post.is_question else None,
            now=self.now,
        )

    @rule(minutes=st.sampled_from([1, 4, 6, 90, 600, 1500]))
    def wait(self, minutes):
        """Let time pass."""
        self.now += timedelta(minutes=minutes)

    # ---- invariants ----

    @invariant()
    def cached_figures_equal_the_recomputation(self):
        """Reputations, scores and ledger rows match a recomputation."""
        assert services.audit_reputation(now=self.now) == []

    @invariant()
    def scores_equal_the_model(self):
        """Every post's score is the sum of the votes the model holds."""
        for post in self.posts:
            expected = sum(
                value
                for (_, post_id), (value, _) in self.votes.items()
                if post_id == post.id
            )
            assert db.session.get(Post, post.id).score == expected

    @invariant()
    def daily_cap_holds(self):
        """Nobody gains more than the cap from up votes in a UTC day."""
        assert services.days_over_cap() == []

    @invariant()
    def nobody_falls_below_the_floor(self):
        """Members start at 1 and never drop below it."""
        for (reputation,) in db.session.execute(select(User.reputation)):
            assert reputation >= 1


def test_ledger_matches_recomputation_under_random_use(app):
    """Random votes, acceptances and deletions keep every cached figure exact."""
    app.config.update(
        REPUTATION_DAILY_CAP=CAP,
        VOTES_PER_DAY=VOTES_PER_DAY,
        PRIVILEGE_THRESHOLDS={"vote_up": 0, "vote_down": 0, "create_tags": 0},
    )
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
