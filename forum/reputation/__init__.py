"""Reputation: votes, the reputation ledger, privileges and badges."""
