"""``flask seed-demo``: load the demo community, once."""

import os
import random
import re
import secrets
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import click
from click.core import ParameterSource
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.demo import learning
from forum.extensions import db, utcnow
from forum.posts import services as posts
from forum.posts.models import Comment, Post, Tag
from forum.reputation import services as votes
from forum.reputation.models import CommentVote, Vote
from forum.reputation.privileges import can
from forum.search import services as search

# How likely a colleague who sees a post votes it up, before the post's own pull.
QUESTION_APPEAL = 0.12
ANSWER_APPEAL = 0.3
ACCEPTED_APPEAL = 0.3
DOWN_VOTE_CHANCE = 0.04
COMMENT_VOTE_CHANCE = 0.12
# Members whose posts colleagues find especially useful (added to the appeal).
HELPFUL = {"maria": 0.45, "tom": 0.15, "grace": 0.15, "priya": 0.15, "kevin": 0.1}


def load_demo(password: str, now=None) -> dict:
    """Create the demo users, tags and threads that are missing; return counts."""
    from forum.demo import data

    now = now or utcnow()
    created = {"users": 0, "questions": 0}
    first_posts = _first_posts(data.QUESTIONS, now)
    users: dict[str, User] = {}
    for spec in data.USERS:
        user = db.session.scalar(
            select(User).where(User.email == accounts.normalize_email(spec["email"]))
        )
        if user is None:
            user = accounts.register_user(
                spec["display_name"],
                spec["email"],
                password,
                role=spec["role"],
                now=_joined_at(spec, now, first_posts.get(spec["key"])),
            )
            if spec.get("about"):
                accounts.update_profile(user, user.display_name, unwrap(spec["about"]))
            created["users"] += 1
        users[spec["key"]] = user

    curator = next(user for user in users.values() if user.is_admin)
    added_microlearns = learning.load_microlearns(curator, now)
    loaded = set()
    with _history_privileges():
        for spec in data.QUESTIONS:
            exists = db.session.scalar(
                select(func.count())
                .select_from(Post)
                .where(
                    Post.title == spec["title"],
                    Post.author_id == users[spec["author"]].id,
                )
            )
            if exists:
                continue
            _load_thread(spec, users, now)
            loaded.add(spec["key"])
            created["questions"] += 1

    created["votes"] = cast_demo_votes(users, now, loaded)
    created.update(learning.load_learning(users, curator, added_microlearns, now))
    _set_last_seen(users.values(), now)
    admin = next(user for user in users.values() if user.is_admin)
    for spec in data.TAGS:
        tag = db.session.scalar(select(Tag).where(Tag.name == spec["name"]))
        if tag is not None and not tag.excerpt:
            posts.edit_tag(admin, tag, spec["excerpt"], spec.get("wiki", ""))
    return created


@contextmanager
def _history_privileges():
    """Let the demo threads be posted as they happened, whatever the reputation then.

    The threads are the community's past: new tags and comments on colleagues'
    posts come from members who had not yet earned those privileges when the demo
    loads them. Votes come afterwards under the real thresholds, and reputation and
    privileges follow from them.
    """
    config = current_app.config
    saved = config.get("PRIVILEGE_THRESHOLDS")
    config["PRIVILEGE_THRESHOLDS"] = {
        **(saved or {}),
        "create_tags": 1,
        "comment_everywhere": 1,
    }
    try:
        yield
    finally:
        config["PRIVILEGE_THRESHOLDS"] = saved


def plan_demo_votes(now: datetime) -> list[tuple]:
    """Return the demo's votes, oldest first.

    Each is (time, voter key, kind, question key, author key, time of the item,
    up): kind is "post" (the question or an answer) or "comment"; an item is found by
    its thread, author and time. Every vote is seeded by what it is on and who
    casts it, so the same ``now`` gives the same plan. A colleague votes a post up
    with a chance that grows with the question's views, an accepted answer and how
    helpful its author tends to be; now and then a member votes an answer down.
    Nobody votes on their own posts.
    """
    from forum.demo import data

    joined = {spec["key"]: _joined_at(spec, now, None) for spec in data.USERS}
    plan = []
    for spec in data.QUESTIONS:
        pull = min(0.35, spec.get("views", 0) / 1500)
        for when, kind, item, _ in schedule_thread(spec, now):
            if kind not in ("question", "answer", "comment"):
                continue
            author = item["author"]
            if kind == "comment":
                appeal, down = COMMENT_VOTE_CHANCE, 0.0
            elif kind == "question":
                appeal, down = QUESTION_APPEAL + pull, 0.0
            else:
                accepted = item["key"] == spec.get("accepted")
                appeal = ANSWER_APPEAL + pull + (ACCEPTED_APPEAL if accepted else 0)
                down = DOWN_VOTE_CHANCE
            if kind != "comment":
                appeal += HELPFUL.get(author, 0)
            for voter in data.USERS:
                key = voter["key"]
                if key == author:
                    continue
                rng = random.Random(f"vote:{spec['key']}:{kind}:{when}:{key}")
                roll, delay = rng.random(), timedelta(hours=rng.uniform(1, 96))
                at = _vote_time(when + delay, joined[key], now)
                target = ("post" if kind != "comment" else "comment", spec["key"])
                if roll < appeal:
                    plan.append((at, key, *target, author, when, True))
                elif roll > 1 - down:
                    plan.append((at, key, *target, author, when, False))
    return sorted(plan, key=lambda vote: (vote[0], vote[1], vote[3], vote[5]))


def _vote_time(when: datetime, joined: datetime, now: datetime) -> datetime:
    """Keep a vote after its voter joined and before now."""
    when = max(when, joined + timedelta(hours=1))
    return min(when, now - timedelta(minutes=1)).replace(microsecond=0)


def cast_demo_votes(users: dict[str, User], now: datetime, threads: set[str]) -> int:
    """Cast the planned demo votes week by week, under the site's rules; count them.

    A week's votes go through the ledger's bulk path (``import_votes``), which
    writes the votes, scores and ledger rows that casting them would, with the
    daily cap and the floor; before each week, a vote whose voter does not yet
    hold the privilege (vote up 15, vote down 100) is dropped. So scores,
    reputation and privileges follow from the votes, and members who earn
    reputation one week vote the next. Only the threads just loaded get votes,
    so seeding again adds none.
    """
    member_ids = [user.id for user in users.values()]
    by_id = {user.id: user for user in users.values()}
    posts_at = {
        (author_id, _at(created_at)): post_id
        for post_id, author_id, created_at in db.session.execute(
            select(Post.id, Post.author_id, Post.created_at).where(
                Post.author_id.in_(member_ids)
            )
        )
    }
    comments_at = {
        (author_id, _at(created_at)): comment_id
        for comment_id, author_id, created_at in db.session.execute(
            select(Comment.id, Comment.author_id, Comment.created_at).where(
                Comment.author_id.in_(member_ids), Comment.deleted_at.is_(None)
            )
        )
    }
    cast_on_posts = set(
        db.session.execute(
            select(Vote.user_id, Vote.post_id).where(Vote.user_id.in_(member_ids))
        ).all()
    )
    cast_on_comments = set(
        db.session.execute(
            select(CommentVote.user_id, CommentVote.comment_id).where(
                CommentVote.user_id.in_(member_ids)
            )
        ).all()
    )
    weeks: dict[int, list] = {}
    for at, voter_key, kind, thread, author_key, posted, up in plan_demo_votes(now):
        if thread not in threads:
            continue
        items = posts_at if kind == "post" else comments_at
        item_id = items.get((users[author_key].id, _at(posted)))
        if item_id is not None:
            week = (now - at).days // 7
            weeks.setdefault(week, []).append(
                (at, users[voter_key].id, kind, item_id, up)
            )
    cast = 0
    for week in sorted(weeks, reverse=True):
        on_posts, on_comments = [], []
        for at, voter_id, kind, item_id, up in weeks[week]:
            privilege = "vote_up" if up else "vote_down"
            if not can(by_id[voter_id], privilege):
                continue
            if kind == "post" and (voter_id, item_id) not in cast_on_posts:
                cast_on_posts.add((voter_id, item_id))
                on_posts.append(votes.PastVote(voter_id, item_id, 1 if up else -1, at))
            elif kind == "comment" and (voter_id, item_id) not in cast_on_comments:
                cast_on_comments.add((voter_id, item_id))
                on_comments.append(votes.PastCommentVote(voter_id, item_id, at))
        cast += votes.import_votes(on_posts) + votes.import_comment_votes(on_comments)
    return cast


def _at(when: datetime) -> str:
    """Return a time as a key that matches however the database returned it."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def _first_posts(questions: list[dict], now: datetime) -> dict[str, datetime]:
    """Return when each demo member first asks, answers or comments."""
    first: dict[str, datetime] = {}
    for spec in questions:
        for when, kind, item, _ in schedule_thread(spec, now):
            if kind in ("question", "answer", "comment"):
                author = item["author"]
                first[author] = min(when, first.get(author, when))
    return first


def _joined_at(spec: dict, now: datetime, first_post: datetime | None) -> datetime:
    """Return when a demo member joined: a seeded time before their first post."""
    rng = random.Random(spec["key"])
    joined = now - timedelta(days=spec["joined_days_ago"], hours=rng.uniform(0, 12))
    if first_post is not None:
        joined = min(joined, first_post - timedelta(hours=rng.uniform(2, 20)))
    return joined.replace(microsecond=0)


_BLOCK_START = re.compile(r"\s*([-*+]\s|[>|#]|\d+[.)]\s|```|~~~|\s{4})")
_LIST_ITEM = re.compile(r"\s*([-*+]|\d+[.)])\s")


def unwrap(markdown: str) -> str:
    """Join the hard-wrapped lines of plain paragraphs into one line each.

    The demo texts are wrapped to keep the source readable, but Knowhow turns a
    newline into a line break, as people who type in a text box expect.
    """
    lines: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        joinable = (
            not in_fence
            and not fence
            and lines
            and lines[-1].strip()
            and line.strip()
            and not _BLOCK_START.match(line)
            and (
                not _BLOCK_START.match(lines[-1])
                # A wrapped list item goes on in an indented line.
                or (line.startswith(" ") and _LIST_ITEM.match(lines[-1]))
            )
            and not lines[-1].endswith("  ")
        )
        if joinable:
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line)
        if fence:
            in_fence = not in_fence
    return "\n".join(lines)


def schedule_thread(spec: dict, now: datetime) -> list[tuple]:
    """Return a demo thread's events as (time, kind, spec, answer key), oldest first.

    The thread's key seeds the times, so the same ``now`` always gives the same
    ones. An older question moves back to a time of its day, mostly in working
    hours; a recent one only a little further back. The ``hours_after`` offsets
    all shrink by one factor, which keeps their order, leaves the whole hours and
    keeps everything in the past.
    """
    rng = random.Random(spec["key"])
    asked_at = _asked_at(rng, now - timedelta(days=spec["days_ago"]), now)
    stretch = rng.uniform(0.85, 1.0)

    def at(hours: float) -> datetime:
        return (asked_at + timedelta(hours=hours * stretch)).replace(microsecond=0)

    events = [(asked_at, "question", spec, None)]
    for answer in spec.get("answers", []):
        events.append((at(answer["hours_after"]), "answer", answer, None))
        for comment in answer.get("comments", []):
            when = at(comment["hours_after"])
            events.append((when, "comment", comment, answer["key"]))
    for comment in spec.get("comments", []):
        events.append((at(comment["hours_after"]), "comment", comment, None))
    for edit in spec.get("edits", []):
        events.append((at(edit["hours_after"]), "edit", edit, None))
    for answer in spec.get("answers", []):
        if answer["key"] == spec.get("accepted"):
            events.append((at(answer["hours_after"] + 2), "accept", answer, None))
    return sorted(events, key=lambda event: event[0])


def _asked_at(rng: random.Random, when: datetime, now: datetime) -> datetime:
    """Move a question's time back to a likely time of day, to the second."""
    age = now - when
    if age < timedelta(days=2):
        asked_at = when - age * rng.uniform(0.05, 0.25)
    else:
        hour = rng.uniform(8, 18) if rng.random() < 0.85 else rng.uniform(6, 23)
        midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
        asked_at = midnight + timedelta(hours=hour)
        if asked_at > when:
            asked_at -= timedelta(days=1)
    return asked_at.replace(microsecond=0)


def _load_thread(spec: dict, users: dict, now) -> None:
    """Create one question with its answers, comments, edits and acceptance."""
    question = None
    answers = {}
    for when, kind, item, answer_key in schedule_thread(spec, now):
        if kind == "question":
            question = posts.ask_question(
                users[item["author"]],
                item["title"],
                unwrap(item["body"]),
                item["tags"],
                microlearn=item.get("microlearn", ""),
                now=when,
            )
        elif kind == "answer":
            answers[item["key"]] = posts.post_answer(
                users[item["author"]], question, unwrap(item["body"]), now=when
            )
        elif kind == "comment":
            post = answers[answer_key] if answer_key else question
            posts.add_comment(users[item["author"]], post, item["body"], now=when)
        elif kind == "edit":
            posts.edit_post(
                users[item["author"]],
                question,
                title=question.title,
                tags=[tag.name for tag in question.tags],
                body=unwrap(item["body"]),
                summary=item["summary"],
                now=when,
            )
        else:
            posts.accept_answer(users[spec["author"]], answers[item["key"]], now=when)
    # Demo threads look lived-in: their view counts are scenery, not earned here.
    question.view_count = spec.get("views", 0)
    db.session.commit()


def _set_last_seen(users, now) -> None:
    """Make each demo member's last visit their latest post or comment."""
    for user in users:
        latest = [
            db.session.scalar(
                select(func.max(Post.created_at)).where(Post.author_id == user.id)
            ),
            db.session.scalar(
                select(func.max(Comment.created_at)).where(Comment.author_id == user.id)
            ),
            user.created_at,
        ]
        user.last_seen_at = min(now, max(t for t in latest if t is not None))
    db.session.commit()


def _check_demo_password(password: str) -> None:
    """Refuse, with the reason, a password that cannot be every demo member's."""
    from forum.demo import data

    for spec in data.USERS:
        problem = accounts.password_problem(
            password, email=spec["email"], display_name=spec["display_name"]
        )
        if problem:
            raise click.ClickException(f"Choose another demo password. {problem}")


def _demo_accounts() -> list[User]:
    """Return the demo accounts stored in the database, found by their emails."""
    from forum.demo import data

    emails = [accounts.normalize_email(spec["email"]) for spec in data.USERS]
    return db.session.scalars(
        select(User).where(User.email.in_(emails)).order_by(User.id)
    ).all()


@click.command("seed-demo")
@click.option(
    "--password",
    default=lambda: os.environ.get("FORUM_DEMO_PASSWORD", ""),
    help=(
        "Password for every demo account (default: FORUM_DEMO_PASSWORD or random). "
        "Given here, it also replaces the password of the demo accounts already "
        "stored and logs them out: the way back in after losing the printed one."
    ),
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already has members (used by make run).",
)
@with_appcontext
def seed_demo(password: str, if_empty: bool) -> None:
    """Load the demo community; running it again adds only what is missing."""
    from forum.demo import data

    # Only a password typed on the command line resets: FORUM_DEMO_PASSWORD is
    # read on every make run, which must not log the demo members out each time.
    given = click.get_current_context().get_parameter_source("password") is (
        ParameterSource.COMMANDLINE
    )
    reset = []
    if given:
        _check_demo_password(password)
        reset = [accounts.set_password(user, password) for user in _demo_accounts()]
    if reset:
        click.echo(
            f"Set a new password for the {len(reset)} demo members already in the "
            "database and ended their sessions."
        )
    has_members = db.session.scalar(select(func.count()).select_from(User))
    if if_empty and has_members:
        if reset:
            _echo_login(reset[0].email, password)
        else:
            click.echo("The database already has members; the demo is not loaded.")
            _echo_lost_password_hint()
        return
    password = password or secrets.token_urlsafe(12)
    _check_demo_password(password)
    created = load_demo(password)
    if created["users"] or created["questions"] or created["microlearns"]:
        click.echo(
            f"Loaded the demo community: {created['users']} members and "
            f"{created['questions']} questions, {created['microlearns']} "
            f"microlearns and {created['playlists']} playlists."
        )
    else:
        click.echo("The demo community is already loaded; nothing to add.")
    # Index now, so search works from the first page view after make run.
    indexed = search.drain_outbox()
    if indexed:
        click.echo(f"Indexed {indexed} changes for search.")
    if created["users"] or reset:
        _echo_login(data.USERS[0]["email"], password)
    else:
        _echo_lost_password_hint()


def _echo_login(email: str, password: str) -> None:
    """Print how to log in as a demo member."""
    click.echo(
        f"Log in as any demo member, e.g. {email}, with the password: {password}"
    )


def _echo_lost_password_hint() -> None:
    """Print how to get back into the demo accounts, when there are any."""
    if _demo_accounts():
        click.echo(
            "Lost the demo password? Set a new one with: "
            "flask --app wsgi seed-demo --password NEW-PASSWORD"
        )
