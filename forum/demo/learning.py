"""The demo's learning catalogue: microlearns, ratings, playlists, new versions.

``flask seed-demo`` (forum/demo/cli.py) adds the microlearns before the threads,
so questions can be about them, and the rest after the threads and votes, so
playlists can hold questions and a new version marks the answers people voted
for. Everything goes through the microlearn services, as a curator and the
members would do it; running the seed again adds only what is missing.
"""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.demo import content, data
from forum.extensions import db
from forum.microlearns import services as microlearns
from forum.microlearns.models import PUBLIC, Microlearn, Playlist
from forum.posts.models import QUESTION, Post


def _fields(spec: dict, now: datetime, version: str) -> dict:
    """Return a demo microlearn's fields as the catalogue's services take them."""
    added = now - timedelta(days=spec["added_days_ago"])
    return {
        "key": spec["key"],
        "title": spec["title"],
        "objective": spec["objective"],
        "format": spec["format"],
        "content_url": content.content_url(spec),
        "duration_minutes": str(spec["duration_minutes"]),
        "tags": spec["tags"],
        "audience": spec["audience"],
        "source": spec["source"],
        "updated_on": added.date().isoformat(),
        "version": version,
    }


def load_microlearns(curator: User, now: datetime) -> dict[str, Microlearn]:
    """Add the demo microlearns that are missing; return those added, by key."""
    keys = [spec["key"] for spec in data.MICROLEARNS]
    existing = set(
        db.session.scalars(select(Microlearn.key).where(Microlearn.key.in_(keys)))
    )
    added = {}
    for spec in data.MICROLEARNS:
        if spec["key"] in existing:
            continue
        added[spec["key"]] = microlearns.create_microlearn(
            curator,
            _fields(spec, now, spec["version"]),
            now=now - timedelta(days=spec["added_days_ago"]),
        )
    return added


def load_learning(
    users: dict[str, User], curator: User, added: dict[str, Microlearn], now
) -> dict[str, int]:
    """Rate the microlearns added this run, make the playlists, publish versions."""
    ratings = _load_ratings(added, users, now)
    playlists = _load_playlists(users, curator, now)
    _publish_new_versions(added, curator, now)
    return {"microlearns": len(added), "ratings": ratings, "playlists": playlists}


def _aware(moment: datetime) -> datetime:
    """Return a stored time as UTC-aware (SQLite hands it back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rated_at(member: User, microlearn: Microlearn, now: datetime) -> datetime:
    """Return a seeded time after the member joined and the item was added."""
    rng = random.Random(f"rating:{member.email}:{microlearn.key}")
    start = max(_aware(member.created_at), _aware(microlearn.created_at))
    return (start + (now - start) * rng.uniform(0.1, 0.9)).replace(microsecond=0)


def _load_ratings(added: dict[str, Microlearn], users: dict, now) -> int:
    """Rate the microlearns added this run as the demo members do; count them."""
    count = 0
    for key, ratings in data.RATINGS.items():
        microlearn = added.get(key)
        if microlearn is None:
            continue
        for member, stars, *rest in ratings:
            accuracy = rest[0] if rest else None
            review = rest[1] if len(rest) > 1 else ""
            microlearns.rate_microlearn(
                users[member],
                microlearn,
                str(stars),
                accuracy or "",
                review,
                now=_rated_at(users[member], microlearn, now),
            )
            count += 1
    return count


def _question(key: str) -> Post:
    """Return the demo question with this key in forum/demo/data.py."""
    spec = next(spec for spec in data.QUESTIONS if spec["key"] == key)
    return db.session.scalar(
        select(Post).where(Post.type == QUESTION, Post.title == spec["title"])
    )


def _load_playlists(users: dict, curator: User, now: datetime) -> int:
    """Make the demo members' public playlists that are missing; count them."""
    made = 0
    for number, spec in enumerate(data.PLAYLISTS):
        owner = users[spec["owner"]]
        exists = db.session.scalar(
            select(Playlist.id).where(
                Playlist.owner_id == owner.id, Playlist.title == spec["title"]
            )
        )
        if exists:
            continue
        # Made in the last days, after everything it holds.
        when = now - timedelta(days=2, hours=7 * number)
        playlist = microlearns.create_playlist(
            owner, spec["title"], spec["description"], PUBLIC, now=when
        )
        for position, (key, note) in enumerate(spec["items"], start=1):
            target = (
                {"post": _question(key)}
                if key.startswith("q-")
                else {"microlearn": microlearns.get_microlearn(key)}
            )
            microlearns.add_to_playlist(
                owner,
                playlist,
                note=note,
                now=when + timedelta(minutes=position),
                **target,
            )
        if spec["featured"]:
            microlearns.feature_playlist(
                curator, playlist, now=when + timedelta(hours=1)
            )
        made += 1
    return made


def _publish_new_versions(added: dict[str, Microlearn], curator: User, now) -> None:
    """Publish the demo's new versions of the microlearns added this run."""
    specs = {spec["key"]: spec for spec in data.MICROLEARNS}
    for new in data.NEW_VERSIONS:
        microlearn = added.get(new["microlearn"])
        if microlearn is None:
            continue
        microlearns.update_microlearn(
            curator,
            microlearn,
            _fields(specs[microlearn.key], now, new["version"]),
            publish=True,
            now=now - timedelta(days=new["days_ago"]),
        )
