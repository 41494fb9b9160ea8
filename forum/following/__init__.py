"""Following tags, microlearns, questions and playlists, and the /me start page."""
