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
