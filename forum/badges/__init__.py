"""Badges, visit days and streaks: recognition for being useful, with restraint."""
