"""Microlearn forms: they parse and protect; the services hold the rules.

Choices are plain text fields that the templates render as a select or radio
buttons: the services check the values, and WTForms' choice fields change their
API between the versions we support.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField


class MicrolearnForm(FlaskForm):
    """Add or edit a microlearn."""

    key = StringField(
        "Key",
        description="The id your LMS or app uses, like dementia-care-101: lower-case "
        "letters, digits and hyphens. It cannot change later.",
    )
    title = StringField("Title", description="5 to 150 characters.")
    objective = TextAreaField(
        "Learning objective",
        description="The one thing a learner can do afterwards, 10 to 300 characters.",
    )
    format = StringField("Format")
    content_url = StringField(
        "Content address", description="Where learners open it: https://…"
    )
    player_url = StringField(
        "Player address (optional)",
        description="An https player to embed on the page, from an allowed host.",
    )
    duration_minutes = StringField(
        "Duration in minutes (optional)", description="A whole number, like 4."
    )
    tags = StringField(
        "Tags (optional)",
        description="Up to 5 tags separated by spaces, the same tags as questions.",
    )
    audience = StringField(
        "Audience (optional)", description="Who it is for, like “new care workers”."
    )
    source = StringField(
        "Author or source (optional)", description="Who made it or where it is from."
    )
    updated_on = StringField(
        "Content updated on (optional)",
        description="When the content itself last changed.",
    )
    version = StringField(
        "Version (optional)", description="A number like 2.1, or a date YYYY-MM-DD."
    )
    publish = BooleanField(
        "Publish as a new version",
        description="The content itself changed: give the new version above. The "
        "accepted and top answers of the questions about it get a “may be out of "
        "date” marker until someone checks them. Leave it unticked to correct a "
        "typo or a wrong version number quietly.",
    )


class RatingForm(FlaskForm):
    """Rate a microlearn and optionally review it."""

    value = StringField("How useful was it?")
    accuracy = StringField("Is it still accurate?", default="")
    review = TextAreaField(
        "Short review (optional)",
        description="Up to 600 characters. *emphasis*, `code` and links work.",
    )


class PlaylistForm(FlaskForm):
    """Start or edit a playlist."""

    title = StringField("Title", description="3 to 120 characters.")
    description = TextAreaField(
        "Description (optional)",
        description="What the playlist is for and who it helps; up to 500 characters.",
    )
    visibility = StringField("Who can see it", default="private")


class AddToPlaylistForm(FlaskForm):
    """Add a microlearn or a question to one of my playlists, or to a new one."""

    playlist = StringField("Playlist")
    title = StringField(
        "Name of the new playlist",
        description="Only when you chose “A new playlist”. 3 to 120 characters.",
    )
    note = TextAreaField(
        "Note (optional)",
        description="Why it is in the playlist, or what to look out for. "
        "Up to 300 characters.",
    )


class NoteForm(FlaskForm):
    """Change the note on a playlist item."""

    note = TextAreaField("Note", description="Up to 300 characters; empty removes it.")
