"""Microlearns: the learning catalogue, its ratings, its API and embeddable widget."""
