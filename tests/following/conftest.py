"""Fixtures for the following tests: the microlearn factories, shared."""

from tests.microlearns.conftest import curator, make_microlearn  # noqa: F401
