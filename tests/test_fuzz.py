"""No input from any URL or form can produce a 500.

Hypothesis sends arbitrary text (control characters, NUL, odd digits, very long
strings, empty values) into every form field and query argument, and arbitrary
path segments into every URL, anonymously and logged in. Each test builds its
data once and then runs its examples against it, because hypothesis reuses the
function-scoped fixtures for every example.
"""

import itertools
import logging
import traceback
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from forum.accounts.models import User
from forum.extensions import db
from forum.posts.services import slugify

MAX_EXAMPLES = 50
PASSWORD = "fuzzing finds bugs"

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\x02\x03",
    "²",
    "١",
    "0",
    "-1",
    "1.5",
    "99999",
    "100000",
    "99999999999999999999",
    "1" * 5000,
    "%",
    "_",
    "\\",
    "%00",
    "..",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "- " * 400 + "x",
    "> " * 400 + "x",
    "[x](" * 300,
    "*" * 3000,
    "\ufeff\u202e\u200b",
    "onboarding",
    "newest",
    "answers",
]

LONG_TEXT = st.tuples(st.text(min_size=1, max_size=8), st.integers(1, 5000)).map(
    lambda pair: (pair[0] * pair[1])[:40000]
)
TEXT = st.one_of(
    st.text(),
    st.text(st.characters(max_codepoint=0x9F)),
    st.sampled_from(NASTY),
    LONG_TEXT,
)


def field(*valid: str) -> st.SearchStrategy[str]:
    """Return text for a form field: valid, arbitrary, or valid with a tail."""
    if not valid:
        return TEXT
    good = st.sampled_from(valid)
    return st.one_of(good, TEXT, st.builds(lambda a, b: a + b, good, TEXT))


QUESTION_TITLE = "Where is the onboarding checklist for new starters?"
TITLES = ("How do I finish the fire safety induction module?",)
BODIES = ("I opened the module twice and it never records my completion.",)
TAGS = ("onboarding", "onboarding fire-safety", "it-help, rota")
COMMENTS = ("Which browser are you using for this?",)
NAMES = ("Sam Fuzzer", "Ana")
PASSWORDS = ("correct horse battery", "another long passphrase")

# Arguments the pages read, and names that url_for treats specially.
QUERY_NAMES = [
    "sort",
    "tag",
    "page",
    "q",
    "a",
    "b",
    "restore",
    "next",
    "tab",
    "prefix",
    "limit",
    "slug",
    "question_id",
    "tag_name",
    "user_id",
    "_anchor",
    "_external",
    "_scheme",
    "_method",
]
QUERIES = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)),
        TEXT,
        max_size=6,
    ),
    # Raw bytes, percent-encoded: invalid UTF-8 and odd separators.
    st.binary(max_size=60).map(lambda raw: quote_from_bytes(raw, safe="=&")),
)


def run_examples(strategy, check, *explicit) -> None:
    """Run check on the explicit examples, then on examples of strategy."""

    # Not shrinking keeps a failing run short; the failure shows the request
    # and the server's traceback, which is enough to find the cause.
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
    )
    @given(strategy)
    def run(value):
        """Check one example."""
        check(value)

    for value in reversed(explicit):
        run = example(value)(run)
    run()


@pytest.fixture
def server_errors(app):
    """Collect the tracebacks of the unexpected errors the app logs."""
    errors: list[str] = []

    class Collect(logging.Handler):
        """Keep the traceback of each logged exception."""

        def emit(self, record):
            """Store the record's traceback, if it has one."""
            if record.exc_info:
                errors.append("".join(traceback.format_exception(*record.exc_info)))

    handler = Collect(level=logging.ERROR)
    app.logger.addHandler(handler)
    yield errors
    app.logger.removeHandler(handler)


def _short(value) -> str:
    """Return a repr short enough for a failure message."""
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + f"… ({len(text)} chars)"


@dataclass
class World:
    """The data and logged-in clients every example runs against."""

    app: Flask
    errors: list[str]
    clients: dict[str, FlaskClient]
    member_id: int
    member_email: str
    question_id: int
    answer_id: int

    def client(self, role: str) -> FlaskClient:
        """Return the client for a role; anonymous visitors get a fresh one."""
        if role == "anonymous":
            return self.app.test_client()
        return self.clients[role]

    def get(self, role: str, url: str, query=None):
        """GET a URL as a role, fail on any server error, return the response."""
        response = self.client(role).get(url, query_string=query)
        self._check(response, f"GET {_short(url)} as {role}, query {_short(query)}")
        return response

    def post(self, role: str, url: str, data: dict):
        """POST a form as a role, fail on any server error, return the response."""
        response = self.client(role).post(url, data=data)
        fields = {name: _short(value) for name, value in data.items()}
        self._check(response, f"POST {_short(url)} as {role}, form {fields}")
        return response

    def _check(self, response, request: str) -> None:
        """Fail with the request and the server's traceback on a 5xx status."""
        if response.status_code >= 500:
            trace = self.errors[-1] if self.errors else "(no traceback logged)"
            pytest.fail(f"{request} -> {response.status_code}\n{trace}", pytrace=False)


@pytest.fixture
def world(app, make_user, make_question, make_answer, server_errors):
    """Create a member's question and answer, a moderator, and their clients."""
    member = make_user(display_name="Fuzz Member", password=PASSWORD)
    moderator = make_user(
        display_name="Fuzz Moderator", password=PASSWORD, role="moderator"
    )
    question = make_question(author=member, title=QUESTION_TITLE, tags="onboarding")
    answer = make_answer(question, author=member)
    clients = {}
    for role, user in (("member", member), ("moderator", moderator)):
        clients[role] = app.test_client()
        response = clients[role].post(
            "/login", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
    return World(
        app,
        server_errors,
        clients,
        member.id,
        member.email,
        question.id,
        answer.id,
    )


def _ids(world: World) -> dict:
    """Return the ids URL templates refer to."""
    return {
        "member_id": world.member_id,
        "question_id": world.question_id,
        "answer_id": world.answer_id,
        "slug": slugify(QUESTION_TITLE),
    }


@dataclass
class Form:
    """A form endpoint, the role that posts it, and what its fields accept."""

    name: str
    path: str
    role: str
    fields: dict[str, tuple[str, ...]]


FORMS = [
    Form(
        "register",
        "/register?next={next}",
        "anonymous",
        {
            "display_name": NAMES,
            "email": ("new{n}@example.com",),
            "password": PASSWORDS,
        },
    ),
    Form(
        "login",
        "/login?next={next}",
        "anonymous",
        {"email": ("{member_email}",), "password": (PASSWORD,), "remember": ("y",)},
    ),
    Form(
        "password",
        "/account/password",
        "member",
        {"current_password": (PASSWORD,), "new_password": PASSWORDS},
    ),
    Form(
        "profile",
        "/account/profile",
        "member",
        {"display_name": NAMES, "about": ("I run the rota.",)},
    ),
    Form(
        "ask",
        "/questions/ask",
        "member",
        {"title": TITLES, "body": BODIES, "tags": TAGS},
    ),
    Form("answer", "/questions/{question_id}/answer", "member", {"body": BODIES}),
    Form(
        "comment-on-question",
        "/posts/{question_id}/comments",
        "member",
        {"body": COMMENTS},
    ),
    Form(
        "comment-on-answer", "/posts/{answer_id}/comments", "member", {"body": COMMENTS}
    ),
    Form(
        "edit-question",
        "/posts/{question_id}/edit",
        "member",
        {
            "title": TITLES,
            "body": BODIES,
            "tags": TAGS,
            "summary": ("Clarified the module name.",),
        },
    ),
    Form(
        "edit-answer",
        "/posts/{answer_id}/edit",
        "member",
        {"title": (), "body": BODIES, "tags": (), "summary": ("Fixed a typo.",)},
    ),
    Form(
        "edit-tag",
        "/tags/onboarding/edit",
        "moderator",
        {"excerpt": ("For new starters.",), "wiki": ("See **HR**.",)},
    ),
    Form("edit-tag-as-member", "/tags/onboarding/edit", "member", {"wiki": ()}),
    Form("preview", "/posts/preview", "member", {"text": ()}),
]


def _nul_examples(form: Form) -> list[tuple[dict, str]]:
    """Return valid submissions but for a NUL at the end of one field."""
    valid = {name: values[0] if values else "" for name, values in form.fields.items()}
    return [({**valid, name: valid[name] + "\x00"}, "/\x00") for name in valid]


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_form_fields_never_cause_a_500(world, form):
    """Any text in any field of a form gets a page or a redirect, never a 500."""
    numbers = itertools.count()
    submissions = st.fixed_dictionaries(
        {}, optional={name: field(*valid) for name, valid in form.fields.items()}
    )

    def check(value):
        """Post one submission, with an arbitrary next target in the URL."""
        data, next_target = value
        # Each valid email is new, so that valid sign-ups succeed.
        new = str(next(numbers))
        data = {
            name: text.replace("{member_email}", world.member_email).replace("{n}", new)
            for name, text in data.items()
        }
        path = form.path.format(next=quote(next_target, safe=""), **_ids(world))
        world.post(form.role, path, data)

    run_examples(st.tuples(submissions, TEXT), check, *_nul_examples(form))


MEMBER_FORMS = [
    "/account/password",
    "/account/profile",
    "/questions/ask",
    "/questions/{question_id}/answer",
    "/posts/{question_id}/comments",
    "/posts/{question_id}/edit",
    "/tags/onboarding/edit",
]
FIELD_NAMES = sorted({name for form in FORMS for name in form.fields})


def test_anonymous_posts_to_member_forms_never_cause_a_500(world):
    """Forms posted before logging in keep their text for later, never a 500."""
    posts = st.tuples(
        st.sampled_from(MEMBER_FORMS),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), TEXT
        ),
    )

    def check(value):
        """Post one arbitrary form to one member form."""
        path, data = value
        world.post("anonymous", path.format(**_ids(world)), data)

    nul = {name: "a\x00b" for name in FIELD_NAMES}
    run_examples(posts, check, *((path, nul) for path in MEMBER_FORMS))


# (role, path, questions the member must have so that the page has pages)
LISTINGS = [
    ("anonymous", "/", 2),
    ("member", "/questions", 2),
    ("anonymous", "/questions/tagged/onboarding", 2),
    ("anonymous", "/tags", 0),
    ("anonymous", "/tags/onboarding", 0),
    ("anonymous", "/users/{member_id}", 21),
    ("anonymous", "/questions/{question_id}", 0),
    ("anonymous", "/questions/{question_id}/{slug}", 0),
    ("member", "/questions/{question_id}/{slug}", 0),
    ("anonymous", "/posts/{answer_id}", 0),
    ("anonymous", "/posts/{question_id}/revisions", 0),
    ("anonymous", "/login", 0),
    ("member", "/questions/ask", 0),
    ("member", "/posts/{answer_id}/comments", 0),
    ("member", "/posts/{question_id}/edit", 0),
    ("moderator", "/tags/onboarding/edit", 0),
    ("anonymous", "/api/v1/questions", 2),
    ("anonymous", "/api/v1/questions/{question_id}", 0),
    ("anonymous", "/api/v1/tags", 0),
]
NASTY_QUERIES = [
    {"page": "²", "a": "²", "b": "²", "limit": "²"},
    {"page": "1" * 5000, "a": "1" * 5000, "b": "1" * 5000, "limit": "1" * 5000},
    {"tag": "a\x00b", "q": "a\x00b", "prefix": "a\x00b", "restore": "a\x00b"},
    {"next": "a\x00b", "sort": "a\x00b", "tab": "a\x00b"},
    {"slug": "x", "question_id": "x", "tag_name": "x", "user_id": "x"},
    {"_anchor": "x", "_external": "x", "_scheme": "x", "_method": "x"},
]


@pytest.mark.parametrize(
    "role, path, questions",
    LISTINGS,
    ids=[f"{role}:{path}" for role, path, _ in LISTINGS],
)
def test_query_strings_never_cause_a_500(world, make_question, role, path, questions):
    """Any query arguments on any page get a page or a redirect, never a 500."""
    world.app.config["QUESTIONS_PER_PAGE"] = 1
    member = db.session.get(User, world.member_id)
    for _ in range(questions - 1):
        make_question(author=member, tags="onboarding")
    url = path.format(**_ids(world))

    def check(query):
        """Get the page with one query string."""
        world.get(role, url, query)

    run_examples(QUERIES, check, *NASTY_QUERIES)


SEGMENT_URLS = [
    ("anonymous", "/questions/{text}"),
    ("anonymous", "/questions/{question_id}/{text}"),
    ("anonymous", "/questions/tagged/{text}"),
    ("anonymous", "/users/{text}"),
    ("anonymous", "/users/{member_id}/{text}"),
    ("anonymous", "/tags/{text}"),
    ("moderator", "/tags/{text}/edit"),
    ("anonymous", "/posts/{text}"),
    ("anonymous", "/posts/{text}/revisions"),
    ("member", "/posts/{text}/edit"),
    ("member", "/questions/{text}/answer"),
    ("anonymous", "/api/v1/questions/{text}"),
    ("anonymous", "/api/v1/{text}"),
]
BIG_NUMBERS = [str(2**31), str(2**63), str(10**30)]
NUMBERS = st.one_of(
    st.integers(min_value=0),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
    st.integers(min_value=10**19, max_value=10**40),
).map(str)


@pytest.mark.parametrize(
    "role, path", SEGMENT_URLS, ids=[f"{role}:{path}" for role, path in SEGMENT_URLS]
)
def test_path_segments_never_cause_a_500(world, role, path):
    """Any text or number in a URL's path gets a page, a redirect or a 404."""

    def check(segment):
        """Get the URL with one path segment."""
        world.get(role, path.format(text=quote(segment, safe=""), **_ids(world)))

    run_examples(
        st.one_of(TEXT, NUMBERS), check, "a\x00b", "1" * 5000, "²", *BIG_NUMBERS
    )


ID_URLS = [
    ("GET", "/questions/{n}"),
    ("GET", "/questions/{n}/slug"),
    ("GET", "/posts/{n}"),
    ("GET", "/posts/{n}/revisions"),
    ("GET", "/users/{n}"),
    ("GET", "/users/{n}/slug"),
    ("GET", "/api/v1/questions/{n}"),
    ("POST", "/questions/{n}/answer"),
    ("POST", "/posts/{n}/comments"),
    ("POST", "/posts/{n}/edit"),
    ("POST", "/posts/{n}/delete"),
    ("POST", "/posts/{n}/undelete"),
    ("POST", "/answers/{n}/accept"),
    ("POST", "/comments/{n}/delete"),
    ("POST", "/posts/{question_id}/rollback/{n}"),
]


@pytest.mark.parametrize(
    "method, path", ID_URLS, ids=[f"{method}:{path}" for method, path in ID_URLS]
)
def test_ids_too_big_for_the_database_are_not_found(world, method, path):
    """Ids beyond the database's integers get a 404, for reads and for writes."""
    form = {"body": BODIES[0], "title": TITLES[0], "tags": "onboarding"}
    for number in BIG_NUMBERS:
        url = path.format(n=number, **_ids(world))
        if method == "GET":
            response = world.get("member", url)
        else:
            response = world.post("member", url, form)
        assert response.status_code == 404, url
