"""Posts: questions, answers, comments, revisions, tags."""
