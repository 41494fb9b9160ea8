"""Accounts: users, roles, login, profiles."""
