"""Search: the query parser, the Whoosh and PostgreSQL backends, the indexer."""
