"""Site: the home page and the health check."""
