"""The JSON API: thin views over the domains' services."""
