"""Member profiles: what a member is and has contributed, above accounts and posts."""
