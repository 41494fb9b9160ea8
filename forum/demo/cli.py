"""``flask seed-demo``: load the demo community, once."""

import os
import re
import secrets
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.extensions import db, utcnow
from forum.posts import services as posts
from forum.posts.models import Comment, Post, Tag


def load_demo(password: str, now=None) -> dict:
    """Create the demo users, tags and threads that are missing; return counts."""
    from forum.demo import data

    now = now or utcnow()
    created = {"users": 0, "questions": 0}
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
                now=now - timedelta(days=spec["joined_days_ago"]),
            )
            if spec.get("about"):
                accounts.update_profile(user, user.display_name, unwrap(spec["about"]))
            created["users"] += 1
        users[spec["key"]] = user

    for spec in data.QUESTIONS:
        exists = db.session.scalar(
            select(func.count())
            .select_from(Post)
            .where(
                Post.title == spec["title"], Post.author_id == users[spec["author"]].id
            )
        )
        if exists:
            continue
        _load_thread(spec, users, now)
        created["questions"] += 1

    _set_last_seen(users.values(), now)
    admin = next(user for user in users.values() if user.is_admin)
    for spec in data.TAGS:
        tag = db.session.scalar(select(Tag).where(Tag.name == spec["name"]))
        if tag is not None and not tag.excerpt:
            posts.edit_tag(admin, tag, spec["excerpt"], spec.get("wiki", ""))
    return created


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


def _load_thread(spec: dict, users: dict, now) -> None:
    """Create one question with its answers, comments, edits and acceptance."""
    asked_at = now - timedelta(days=spec["days_ago"])
    question = posts.ask_question(
        users[spec["author"]],
        spec["title"],
        unwrap(spec["body"]),
        spec["tags"],
        now=asked_at,
    )
    answers = {}
    for answer_spec in spec.get("answers", []):
        answered_at = asked_at + timedelta(hours=answer_spec["hours_after"])
        answer = posts.post_answer(
            users[answer_spec["author"]],
            question,
            unwrap(answer_spec["body"]),
            now=answered_at,
        )
        answers[answer_spec["key"]] = answer
        for comment in answer_spec.get("comments", []):
            posts.add_comment(
                users[comment["author"]],
                answer,
                comment["body"],
                now=asked_at + timedelta(hours=comment["hours_after"]),
            )
    for comment in spec.get("comments", []):
        posts.add_comment(
            users[comment["author"]],
            question,
            comment["body"],
            now=asked_at + timedelta(hours=comment["hours_after"]),
        )
    for edit in spec.get("edits", []):
        posts.edit_post(
            users[edit["author"]],
            question,
            title=question.title,
            tags=[tag.name for tag in question.tags],
            body=unwrap(edit["body"]),
            summary=edit["summary"],
            now=asked_at + timedelta(hours=edit["hours_after"]),
        )
    if spec.get("accepted"):
        accepted = answers[spec["accepted"]]
        posts.accept_answer(
            users[spec["author"]],
            accepted,
            now=accepted.created_at + timedelta(hours=2),
        )
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


@click.command("seed-demo")
@click.option(
    "--password",
    default=lambda: os.environ.get("FORUM_DEMO_PASSWORD", ""),
    help="Password for every demo account (default: FORUM_DEMO_PASSWORD or random).",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already has members (used by make run).",
)
@with_appcontext
def seed_demo(password: str, if_empty: bool) -> None:
    """Load the demo community; running it again adds only what is missing."""
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has members; the demo is not loaded.")
        return
    password = password or secrets.token_urlsafe(12)
    created = load_demo(password)
    if not (created["users"] or created["questions"]):
        click.echo("The demo community is already loaded; nothing to do.")
        return
    click.echo(
        f"Loaded the demo community: {created['users']} members and "
        f"{created['questions']} questions."
    )
    if created["users"]:
        from forum.demo import data

        click.echo(
            f"Log in as any demo member, e.g. {data.USERS[0]['email']}, "
            f"with the password: {password}"
        )
