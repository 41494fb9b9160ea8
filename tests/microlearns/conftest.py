"""Fixtures for the microlearn tests: a curator and a microlearn factory."""

import itertools

import pytest

_keys = itertools.count(1)


@pytest.fixture
def curator(make_user):
    """Return a member with the curator role."""
    return make_user(display_name="Cora Curator", role="curator")


def microlearn_data(**fields) -> dict:
    """Return valid fields for a microlearn, with some replaced."""
    n = next(_keys)
    data = {
        "key": f"item-{n}",
        "title": f"Safe moving and handling, part {n}",
        "objective": "Move a resident from bed to chair without strain.",
        "format": "video",
        "content_url": f"https://learning.example.com/items/{n}",
        "duration_minutes": "4",
        "tags": "moving-handling",
    }
    data.update(fields)
    return data


@pytest.fixture
def make_microlearn(curator):
    """Return a factory that adds microlearns to the catalogue."""
    from forum.microlearns import services

    def factory(now=None, **fields):
        """Add a microlearn with valid defaults."""
        return services.create_microlearn(curator, microlearn_data(**fields), now=now)

    return factory


_questions = itertools.count(1)


@pytest.fixture
def ask_about(make_user):
    """Return a factory that asks questions about a microlearn."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.posts import services as posts
    from forum.posts.models import Tag

    def factory(microlearn, author=None, title=None, tags="onboarding", now=None):
        """Ask a question with valid defaults, about the microlearn (by its key)."""
        for name in posts.parse_tags(tags):
            if db.session.scalar(select(Tag.id).where(Tag.name == name)) is None:
                db.session.add(Tag(name=name))
        db.session.commit()
        n = next(_questions)
        return posts.ask_question(
            author or make_user(),
            title or f"How do I finish learning step number {n}?",
            f"I am stuck on step {n} of this learning item. What should I do next?",
            tags,
            microlearn=microlearn.key,
            now=now,
        )

    return factory
