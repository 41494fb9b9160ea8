"""Tests of the demo community and ``flask seed-demo``."""
