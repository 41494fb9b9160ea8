"""Tests of the posts domain."""
