"""Post rules: asking, answering, comments, acceptance, edits, deletion, tags, views."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.errors import NotFound, PermissionDenied, ValidationError
from forum.extensions import db, utcnow
from forum.posts import services
from forum.posts.models import Post, Tag
from forum.reputation import models as ledger
from forum.reputation.models import ReputationEvent
from forum.reputation.privileges import MissingPrivilege

BODY = "Here is enough detail to make a real question body for the test."
# Reputation that holds "create tags" (and "comment everywhere") in the small profile.
TAG_CREATOR = 300
COMMENTER = 50


def ids(stmt):
    """Return the ids a question statement selects, in order."""
    return [post.id for post in db.session.scalars(stmt)]


# ---- asking ----


@pytest.mark.parametrize(
    ("title", "ok"),
    [("x" * 14, False), ("x" * 15, True), ("x" * 150, True), ("x" * 151, False)],
)
def test_title_length_is_15_to_150(make_user, title, ok):
    """A question title has 15 to 150 characters."""
    user = make_user(reputation=TAG_CREATOR)
    if ok:
        assert services.ask_question(user, title, BODY, "it").title == title
    else:
        with pytest.raises(ValidationError) as caught:
            services.ask_question(user, title, BODY, "it")
        assert "title" in caught.value.errors


@pytest.mark.parametrize(
    ("length", "ok"), [(29, False), (30, True), (30000, True), (30001, False)]
)
def test_body_length_is_30_to_30000(make_user, length, ok):
    """A question body has 30 to 30,000 characters."""
    user = make_user(reputation=TAG_CREATOR)
    body = "a" * length
    if ok:
        services.ask_question(user, "A long enough title here", body, "it")
    else:
        with pytest.raises(ValidationError) as caught:
            services.ask_question(user, "A long enough title here", body, "it")
        assert "body" in caught.value.errors


def test_all_field_errors_are_reported_together(make_user):
    """A question with several problems reports every field at once."""
    with pytest.raises(ValidationError) as caught:
        services.ask_question(make_user(), "short", "tiny", "")
    assert set(caught.value.errors) == {"title", "body", "tags"}


TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789+#.-"


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_tag_syntax_property(name):
    """A tag is 1-35 lower-case letters, digits or + # . - and nothing else."""
    names = services.parse_tags(name)
    problem = services._tags_problem(names)
    valid = 1 <= len(names) <= 5 and all(
        len(n) <= 35 and all(c in TAG_CHARS for c in n) for n in names
    )
    assert (problem == "") == valid


def test_tags_are_lower_cased_split_and_deduplicated(make_user):
    """Tags are split on spaces or commas, lower-cased and kept once each."""
    question = services.ask_question(
        make_user(reputation=TAG_CREATOR),
        "How do refunds work?!",
        BODY,
        "Retail, refunds retail  C#",
    )
    assert [tag.name for tag in question.tags] == ["c#", "refunds", "retail"]


@pytest.mark.parametrize("tags", ["", "a b c d e f", "x" * 36, "bad_tag", "ünï"])
def test_bad_tags_are_refused(make_user, tags):
    """No tags, more than five, too long or wrong characters are refused."""
    with pytest.raises(ValidationError) as caught:
        services.ask_question(make_user(), "A long enough title here", BODY, tags)
    assert "tags" in caught.value.errors


def test_asking_counts_tags_and_stores_a_revision(make_user):
    """Asking stores rendered HTML, the first revision and the tag counts."""
    question = services.ask_question(
        make_user(reputation=TAG_CREATOR),
        "A long enough title here",
        BODY + " **bold**",
        "vpn it",
    )
    assert "<strong>bold</strong>" in question.body_html
    history = services.revisions_of(question)
    assert [(r.number, r.summary, r.tags_text) for r in history] == [
        (1, "Asked", "it vpn")
    ]
    assert (
        db.session.scalar(db.select(Tag.question_count).where(Tag.name == "vpn")) == 1
    )


def test_anonymous_cannot_ask():
    """Only logged-in members ask."""
    with pytest.raises(PermissionDenied):
        services.ask_question(None, "A long enough title here", BODY, "it")


# ---- answers and comments ----


def test_answer_counts_and_activity(make_question, make_answer):
    """An answer raises the answer count and bumps the question's activity."""
    question = make_question(now=utcnow() - timedelta(days=2))
    before = question.last_activity_at
    make_answer(question)
    assert question.answer_count == 1
    assert question.last_activity_at > before


def test_answer_body_length(make_question, make_user):
    """An answer body has 30 to 30,000 characters."""
    with pytest.raises(ValidationError):
        services.post_answer(make_user(), make_question(), "too short")


def test_cannot_answer_an_answer(make_question, make_answer, make_user):
    """Answers belong to questions only."""
    answer = make_answer(make_question())
    with pytest.raises(NotFound):
        services.post_answer(make_user(), answer, BODY)


@pytest.mark.parametrize(
    ("length", "ok"), [(14, False), (15, True), (600, True), (601, False)]
)
def test_comment_length_is_15_to_600(make_question, make_user, length, ok):
    """A comment has 15 to 600 characters."""
    question = make_question()
    commenter = make_user(reputation=COMMENTER)
    if ok:
        services.add_comment(commenter, question, "c" * length)
        assert question.comment_count == 1
    else:
        with pytest.raises(ValidationError):
            services.add_comment(commenter, question, "c" * length)


def test_comments_render_inline_markdown_only(make_question, make_user):
    """Comments keep emphasis, code and links, but no headings or images."""
    comment = services.add_comment(
        make_user(reputation=COMMENTER),
        make_question(),
        "# Big *see* `x` [docs](https://intranet.example.com) ![i](https://e.com/a.png)",
    )
    html = comment.body_html
    assert "<em>see</em>" in html and "<code>x</code>" in html
    assert 'href="https://intranet.example.com"' in html
    assert "<h1" not in html and "<img" not in html


def test_comment_authors_and_moderators_delete_comments(make_question, make_user):
    """A comment is deleted by its author or a moderator, nobody else."""
    author, other = make_user(reputation=COMMENTER), make_user()
    mod = make_user(role="moderator")
    question = make_question()
    first = services.add_comment(author, question, "This is my first remark.")
    second = services.add_comment(author, question, "This is my second remark.")
    with pytest.raises(PermissionDenied):
        services.delete_comment(other, first)
    services.delete_comment(author, first)
    services.delete_comment(mod, second)
    assert question.comment_count == 0


# ---- acceptance ----


def test_only_the_asker_accepts_and_can_change_or_remove(
    make_question, make_answer, make_user
):
    """The asker accepts one answer, may switch it, and may remove the acceptance."""
    asker = make_user()
    question = make_question(author=asker)
    first, second = make_answer(question), make_answer(question)
    with pytest.raises(PermissionDenied):
        services.accept_answer(first.author, first)
    services.accept_answer(asker, first)
    assert question.accepted_answer_id == first.id
    services.accept_answer(asker, second)
    assert question.accepted_answer_id == second.id
    services.unaccept_answer(asker, question)
    assert question.accepted_answer_id is None


def test_authors_cannot_delete_their_accepted_answer(
    make_question, make_answer, make_user
):
    """The author of an accepted answer may not delete it, and is told why."""
    asker = make_user()
    question = make_question(author=asker)
    answer = make_answer(question)
    services.accept_answer(asker, answer)
    assert not services.can(answer.author, "delete", answer)
    with pytest.raises(PermissionDenied) as caught:
        services.delete_post(answer.author, answer)
    assert caught.value.message.startswith(
        "Accepted answers can't be deleted by their author."
    )
    assert not answer.is_deleted and question.answer_count == 1
    services.unaccept_answer(asker, question)
    services.delete_post(answer.author, answer)
    assert answer.is_deleted


def test_a_moderator_deletes_an_accepted_answer_and_undelete_restores_it(
    make_question, make_answer, make_user
):
    """While an accepted answer is deleted nothing shows it accepted; undelete does."""
    asker, mod = make_user(), make_user(role="moderator")
    question = make_question(author=asker)
    answer = make_answer(question)
    services.accept_answer(asker, answer)
    assert services.can(mod, "delete", answer)
    services.delete_post(mod, answer)
    assert question.answer_count == 0
    assert services.load_question_page(question.id, mod).accepted_answer_id is None
    assert services.load_question_page(question.id, None).accepted_answer_id is None
    assert services.accepted_among([question]) == set()
    assert question.id in ids(services.questions("unanswered"))
    assert services.activity_of(answer.author).accepted == 0

    services.undelete_post(mod, answer)
    page = services.load_question_page(question.id, None)
    assert page.accepted_answer_id == answer.id and page.answers == [answer]
    assert services.accepted_among([question]) == {question.id}
    assert question.id not in ids(services.questions("unanswered"))
    assert services.activity_of(answer.author).accepted == 1


def test_accepting_another_answer_replaces_a_deleted_accepted_one(
    make_question, make_answer, make_user
):
    """The asker may accept another answer while the accepted one is deleted."""
    asker, mod = make_user(), make_user(role="moderator")
    question = make_question(author=asker)
    first, second = make_answer(question), make_answer(question)
    services.accept_answer(asker, first)
    services.delete_post(mod, first)
    services.accept_answer(asker, second)
    services.undelete_post(mod, first)
    assert services.load_question_page(question.id, None).accepted_answer_id == (
        second.id
    )


# ---- editing and history ----


def test_edit_stores_a_revision_with_who_when_why(make_question, make_user):
    """Every edit stores a revision with its author, time, summary and full text."""
    author = make_user(reputation=TAG_CREATOR)
    question = make_question(author=author, tags="it")
    later = utcnow() + timedelta(minutes=5)
    services.edit_post(
        author,
        question,
        title="A better, clearer question title",
        body=BODY + " Now with more detail.",
        tags="it vpn",
        summary="Clarified the title",
        now=later,
    )
    history = services.revisions_of(question)
    assert [r.number for r in history] == [1, 2]
    latest = history[-1]
    assert latest.author_id == author.id
    assert latest.summary == "Clarified the title"
    assert latest.title == "A better, clearer question title"
    assert latest.tags_text == "it vpn"
    assert latest.body_markdown.endswith("more detail.")
    assert question.last_edited_at == later


def test_editing_nothing_is_refused(make_question):
    """Saving an edit that changes nothing is refused with a message."""
    question = make_question()
    with pytest.raises(ValidationError):
        services.edit_post(
            question.author,
            question,
            title=question.title,
            body=question.body_markdown,
            tags=[t.name for t in question.tags],
        )


def test_who_may_edit(make_question, make_user):
    """Authors and moderators edit; others need the edit privilege."""
    question = make_question()
    stranger, trusted, mod = (
        make_user(),
        make_user(reputation=2000),
        make_user(role="moderator"),
    )
    with pytest.raises(PermissionDenied):
        services.edit_post(
            stranger, question, title=question.title, body=BODY + "!", tags="it"
        )
    for editor in (trusted, mod):
        services.edit_post(
            editor,
            question,
            title=question.title,
            body=BODY + editor.display_name,
            tags="it",
        )
    assert len(services.revisions_of(question)) == 3


def test_rollback_is_a_new_revision(make_question, make_user):
    """Rolling back restores an old revision's text as a new revision."""
    question = make_question(author=make_user(reputation=TAG_CREATOR), tags="it")
    original = question.body_markdown
    services.edit_post(
        question.author,
        question,
        title=question.title,
        body=BODY + " changed",
        tags="vpn",
    )
    services.rollback_post(question.author, question, 1)
    history = services.revisions_of(question)
    assert [r.number for r in history] == [1, 2, 3]
    assert question.body_markdown == original
    assert [t.name for t in question.tags] == ["it"]
    assert history[-1].summary == "Rolled back to revision 1"
    assert (
        db.session.scalar(db.select(Tag.question_count).where(Tag.name == "vpn")) == 0
    )


def test_compare_revisions_marks_words(make_question):
    """The diff marks removed words with del and added words with ins, escaped."""
    question = make_question(
        body="Press the red button then <b>wait</b> a while please."
    )
    services.edit_post(
        question.author,
        question,
        title=question.title,
        body="Press the green button then <b>wait</b> a while please.",
        tags="onboarding",
    )
    old, new = services.revisions_of(question)
    diff = services.compare_revisions(old, new)
    assert "<del>red</del>" in diff.body and "<ins>green</ins>" in diff.body
    assert "&lt;b&gt;wait" in diff.body


# ---- deletion ----


def test_soft_delete_hides_from_others_and_undelete_restores(make_question, make_user):
    """A deleted question is hidden from everyone but its author and moderators."""
    author, other, mod = make_user(), make_user(), make_user(role="moderator")
    question = make_question(author=author, tags="hidden-tag")
    services.delete_post(author, question)
    assert question.id not in ids(services.questions())
    with pytest.raises(NotFound):
        services.load_question_page(question.id, other)
    with pytest.raises(NotFound):
        services.load_question_page(question.id, None)
    assert services.load_question_page(question.id, author).question.is_deleted
    assert services.load_question_page(question.id, mod).question.is_deleted
    assert (
        db.session.scalar(db.select(Tag.question_count).where(Tag.name == "hidden-tag"))
        == 0
    )
    with pytest.raises(PermissionDenied):
        services.undelete_post(other, question)
    services.undelete_post(mod, question)
    assert question.id in ids(services.questions())


def test_deleted_answers_are_seen_by_author_and_moderators_only(
    make_question, make_answer, make_user
):
    """A deleted answer shows only to its author and moderators."""
    question = make_question()
    answer = make_answer(question)
    services.delete_post(answer.author, answer)
    mod = make_user(role="moderator")
    assert services.load_question_page(question.id, None).answers == []
    assert services.load_question_page(question.id, make_user()).answers == []
    assert services.load_question_page(question.id, answer.author).answers == [answer]
    assert services.load_question_page(question.id, mod).answers == [answer]


def test_deleted_answers_show_to_members_who_may_see_deleted_posts(
    make_question, make_answer, make_user
):
    """From 5,000 reputation a member sees deleted answers, as moderators do."""
    question = make_question()
    answer = make_answer(question)
    services.delete_post(answer.author, answer)
    assert (
        services.load_question_page(question.id, make_user(reputation=4999)).answers
        == []
    )
    assert services.load_question_page(
        question.id, make_user(reputation=5000)
    ).answers == [answer]


def test_strangers_cannot_delete(make_question, make_user):
    """Only the author or a moderator deletes a post."""
    with pytest.raises(PermissionDenied):
        services.delete_post(make_user(), make_question())


# ---- lists and sorts ----


def test_sorts(make_question, make_answer, make_user):
    """Newest, active, score and unanswered order and filter questions as named."""
    now = utcnow()
    old = make_question(now=now - timedelta(days=3))
    mid = make_question(now=now - timedelta(days=2))
    new = make_question(now=now - timedelta(days=1))
    make_answer(old, now=now - timedelta(hours=1))
    mid.score = 5
    upvoted = make_answer(new, now=now - timedelta(hours=2))
    upvoted.score = 1
    db.session.commit()
    assert ids(services.questions("newest")) == [new.id, mid.id, old.id]
    assert ids(services.questions("active")) == [old.id, new.id, mid.id]
    assert ids(services.questions("score"))[0] == mid.id
    # Unanswered: no accepted answer and no answer with a positive score.
    assert ids(services.questions("unanswered")) == [mid.id, old.id]


def test_tag_filter(make_question):
    """A tag filter keeps only questions with that tag."""
    vpn = make_question(tags="vpn it")
    make_question(tags="retail")
    assert ids(services.questions("newest", "vpn")) == [vpn.id]


def test_tags_list_by_popularity_name_and_prefix(make_question):
    """Tags sort by question count or name and filter by prefix."""
    make_question(tags="excel it")
    make_question(tags="excel")
    make_question(tags="expenses")
    popular = [t.name for t in db.session.scalars(services.tags("popular"))]
    assert popular[0] == "excel"
    assert [t.name for t in db.session.scalars(services.tags("name"))] == [
        "excel",
        "expenses",
        "it",
    ]
    assert [t.name for t in db.session.scalars(services.tags("name", "ex"))] == [
        "excel",
        "expenses",
    ]
    assert [t.name for t in db.session.scalars(services.tags("name", "%"))] == []


# ---- views ----


def test_views_count_once_per_viewer_per_hour(make_question):
    """A viewer adds one view per hour, however often they reload."""
    question = make_question()
    now = utcnow()
    assert services.record_view(question.id, "u:1", now=now)
    assert not services.record_view(question.id, "u:1", now=now + timedelta(minutes=59))
    assert services.record_view(question.id, "u:2", now=now)
    assert services.record_view(question.id, "u:1", now=now + timedelta(minutes=61))
    db.session.refresh(question)
    assert question.view_count == 3


def test_views_of_missing_or_deleted_questions_do_not_count(make_question):
    """Views of unknown or deleted questions are not counted."""
    question = make_question()
    services.delete_post(question.author, question)
    assert not services.record_view(question.id, "u:1")
    assert not services.record_view(999999, "u:1")


def test_activity_counts(make_question, make_answer, make_user):
    """Activity counts visible questions, answers, accepted answers and comments."""
    member = make_user()
    asked = make_question(author=member)
    other = make_question()
    answer = make_answer(other, author=member)
    services.accept_answer(other.author, answer)
    services.add_comment(member, asked, "A comment long enough.")
    deleted = make_question(author=member)
    services.delete_post(member, deleted)
    activity = services.activity_of(member)
    assert (
        activity.questions,
        activity.answers,
        activity.accepted,
        activity.comments,
    ) == (
        1,
        1,
        1,
        1,
    )


def test_slugify():
    """Slugs are lower-case ASCII words joined by hyphens."""
    assert services.slugify("How do I reset my VPN?") == "how-do-i-reset-my-vpn"
    assert services.slugify("Café – naïve") == "cafe-naive"
    assert services.slugify("???") == "question"


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=st.text(max_size=200))
def test_slugify_is_url_safe(title):
    """Every slug is non-empty and uses only a-z, 0-9 and hyphens."""
    slug = services.slugify(title)
    assert slug and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)


def test_posts_share_one_table(make_question, make_answer):
    """Questions and answers are rows of one posts table, told apart by type."""
    question = make_question()
    answer = make_answer(question)
    types = dict(db.session.execute(db.select(Post.id, Post.type)).all())
    assert types == {question.id: "question", answer.id: "answer"}


# ---- privileges and the reputation ledger ----


def reasons(user) -> list[tuple[int, str]]:
    """Return a member's ledger rows, oldest first, as (amount, reason)."""
    rows = db.session.scalars(
        db.select(ReputationEvent)
        .where(ReputationEvent.user_id == user.id)
        .order_by(ReputationEvent.id)
    )
    return [(row.amount, row.reason) for row in rows]


def test_acceptance_gives_fifteen_and_two_and_unaccepting_takes_them_back(
    make_question, make_answer
):
    """Accepting credits the answerer 15 and the asker 2; unaccepting reverses both."""
    question = make_question()
    answer = make_answer(question)
    asker, answerer = question.author, answer.author
    services.accept_answer(asker, answer)
    assert (answerer.reputation, asker.reputation) == (16, 3)
    services.unaccept_answer(asker, question)
    assert (answerer.reputation, asker.reputation) == (1, 1)
    assert reasons(answerer) == [
        (15, ledger.ANSWER_ACCEPTED),
        (-15, ledger.ACCEPTANCE_REMOVED),
    ]


def test_deleting_reverses_reputation_and_undeleting_restores_it(
    make_question, make_answer
):
    """Deleting an accepted thread takes its reputation back; undeleting returns it."""
    question = make_question()
    answer = make_answer(question)
    asker, answerer = question.author, answer.author
    services.accept_answer(asker, answer)
    services.delete_post(asker, question)
    assert (answerer.reputation, asker.reputation) == (1, 1)
    assert reasons(answerer)[-1] == (-15, ledger.POST_DELETED)
    services.undelete_post(asker, question)
    assert (answerer.reputation, asker.reputation) == (16, 3)
    assert reasons(answerer)[-1] == (15, ledger.ANSWER_ACCEPTED)
    assert len(reasons(answerer)) == 3


def test_new_tags_need_the_create_tags_privilege(make_user, make_question):
    """A new tag needs 300 reputation; the refusal names the privilege and the tag."""
    make_question(tags="onboarding")
    newcomer = make_user(reputation=299)
    with pytest.raises(MissingPrivilege) as refused:
        services.ask_question(newcomer, "Where is the canteen menu?", BODY, "canteen")
    message = refused.value.errors["tags"]
    assert "“canteen” is a new tag" in message
    assert "Create tags" in message and "300 reputation" in message
    assert refused.value.details()["reputation_needed"] == 300
    assert db.session.scalar(db.select(Tag.id).where(Tag.name == "canteen")) is None
    # Existing tags are open to everyone; 300 reputation may add new ones.
    services.ask_question(
        newcomer, "Where do I find the onboarding list?", BODY, "onboarding"
    )
    services.ask_question(
        make_user(reputation=300), "Where is the canteen menu?", BODY, "canteen"
    )


def test_an_edit_that_adds_a_new_tag_needs_the_privilege(make_question):
    """Retagging with a tag nobody used yet needs "create tags" too."""
    question = make_question(tags="onboarding")
    with pytest.raises(MissingPrivilege, match="“laptops” is a new tag"):
        services.edit_post(
            question.author,
            question,
            title=question.title,
            body=BODY,
            tags="onboarding laptops",
        )


def test_commenting_on_others_posts_needs_fifty(make_user, make_question, make_answer):
    """Comments on others' posts need 50; your own thread takes them at 1."""
    question = make_question()
    answer = make_answer(question)
    with pytest.raises(MissingPrivilege) as refused:
        services.add_comment(make_user(), question, "Is this about the new laptops?")
    assert "Comment everywhere" in refused.value.errors["body"]
    assert "50 reputation" in refused.value.message
    services.add_comment(answer.author, answer, "I meant the grey ones, sorry.")
    services.add_comment(question.author, answer, "Thanks, which grey ones exactly?")
    services.add_comment(make_user(reputation=50), question, "Try the IT portal first.")
    assert (question.comment_count, answer.comment_count) == (1, 2)


def test_editing_others_posts_names_the_missing_privilege(make_user, make_question):
    """An editor below 1,000 is told that "edit any post" is missing."""
    question = make_question()
    with pytest.raises(MissingPrivilege, match="Edit any post"):
        services.edit_post(
            make_user(reputation=999),
            question,
            title=question.title,
            body=BODY,
            tags="onboarding",
        )


def test_tag_wikis_need_two_thousand(make_user, make_question):
    """Editing a tag's excerpt and wiki needs 2,000 reputation (moderators always)."""
    make_question(tags="onboarding")
    tag = services.get_tag("onboarding")
    with pytest.raises(MissingPrivilege, match="Edit tag wikis"):
        services.edit_tag(make_user(reputation=1999), tag, "New starters.", "")
    services.edit_tag(make_user(reputation=2000), tag, "New starters' first weeks.", "")
    assert tag.excerpt == "New starters' first weeks."
