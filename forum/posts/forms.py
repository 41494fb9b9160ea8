"""Post forms: they parse and protect; the services hold the rules."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class AskForm(FlaskForm):
    """Ask a question."""

    title = StringField(
        "Title",
        description="Be specific, as if asking a colleague: 15 to 150 characters.",
    )
    body = TextAreaField(
        "Details",
        description="What you tried and what you need, 30 characters or more. "
        "Markdown works: **bold**, `code`, lists, links.",
    )
    tags = StringField(
        "Tags",
        description="1 to 5 tags separated by spaces, such as “aged-care medication”.",
    )


class AnswerForm(FlaskForm):
    """Answer a question."""

    body = TextAreaField(
        "Your answer",
        description="Share what you know, 30 characters or more. Markdown works.",
    )


class CommentForm(FlaskForm):
    """Comment on a post."""

    body = TextAreaField(
        "Comment",
        description="15 to 600 characters. *emphasis*, `code` and links work.",
    )


class EditForm(FlaskForm):
    """Edit a question or an answer."""

    title = StringField("Title")
    body = TextAreaField("Body", description="Markdown.")
    tags = StringField("Tags", description="1 to 5 tags separated by spaces.")
    summary = StringField(
        "Edit summary", description="Briefly say what you changed and why."
    )


class TagForm(FlaskForm):
    """Edit a tag's excerpt and wiki."""

    excerpt = TextAreaField(
        "Excerpt", description="One or two plain sentences on what the tag is for."
    )
    wiki = TextAreaField("Wiki", description="Markdown: guidance, links, examples.")
