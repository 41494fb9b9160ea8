"""The demo community loaded by ``flask seed-demo``."""
