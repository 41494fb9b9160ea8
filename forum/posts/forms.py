"""Post forms: they parse and protect; the services hold the rules."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from forum.posts.services import (
    BODY_MIN,
    COMMENT_MAX,
    COMMENT_MIN,
    TAGS_MAX,
    TAGS_MIN,
    TITLE_MAX,
    TITLE_MIN,
)

# The wording of each field, defined once: asking and editing say the same thing.
TITLE_LABEL = "Title"
TITLE_HELP = (
    f"Be specific, as if asking a colleague: {TITLE_MIN} to {TITLE_MAX} characters."
)
BODY_LABEL = "Details"
BODY_HELP = (
    f"What you tried and what you need, {BODY_MIN} characters or more. "
    "Markdown works: **bold**, `code`, lists, links."
)
TAGS_LABEL = "Tags"
TAGS_HELP = (
    f"{TAGS_MIN} to {TAGS_MAX} tags separated by spaces, "
    "such as “aged-care medication”."
)
ANSWER_LABEL = "Your answer"
ANSWER_HELP = (
    f"Share what you know, {BODY_MIN} characters or more. Markdown works; "
    "[[ml:KEY]] on a line of its own shows a microlearn's card."
)
COMMENT_LABEL = "Comment"
COMMENT_HELP = (
    f"{COMMENT_MIN} to {COMMENT_MAX} characters. *emphasis*, `code` and links work."
)
MICROLEARN_LABEL = "About a microlearn (optional)"
MICROLEARN_HELP = (
    "If your question is about a learning item, give its key (or paste its "
    "address from Learn), like dementia-care-101."
)
SUMMARY_LABEL = "Edit summary"
SUMMARY_HELP = "Briefly say what you changed and why."


class AskForm(FlaskForm):
    """Ask a question."""

    title = StringField(TITLE_LABEL, description=TITLE_HELP)
    body = TextAreaField(BODY_LABEL, description=BODY_HELP)
    tags = StringField(TAGS_LABEL, description=TAGS_HELP)
    microlearn = StringField(MICROLEARN_LABEL, description=MICROLEARN_HELP)


class AnswerForm(FlaskForm):
    """Answer a question."""

    body = TextAreaField(ANSWER_LABEL, description=ANSWER_HELP)


class CommentForm(FlaskForm):
    """Comment on a post."""

    body = TextAreaField(COMMENT_LABEL, description=COMMENT_HELP)


class EditQuestionForm(FlaskForm):
    """Edit a question: the fields of the ask form and an edit summary."""

    title = StringField(TITLE_LABEL, description=TITLE_HELP)
    body = TextAreaField(BODY_LABEL, description=BODY_HELP)
    tags = StringField(TAGS_LABEL, description=TAGS_HELP)
    microlearn = StringField(MICROLEARN_LABEL, description=MICROLEARN_HELP)
    summary = StringField(SUMMARY_LABEL, description=SUMMARY_HELP)


class EditAnswerForm(FlaskForm):
    """Edit an answer."""

    body = TextAreaField("Answer", description=ANSWER_HELP)
    summary = StringField(SUMMARY_LABEL, description=SUMMARY_HELP)


class TagForm(FlaskForm):
    """Edit a tag's excerpt and wiki."""

    excerpt = TextAreaField(
        "Excerpt", description="One or two plain sentences on what the tag is for."
    )
    wiki = TextAreaField("Wiki", description="Markdown: guidance, links, examples.")
