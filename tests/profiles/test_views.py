"""Profile pages: a member, their activity and their questions and answers."""

import ast
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from forum.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def text(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


def test_profile_shows_the_member(client, make_user):
    """A profile shows name, sanitised about, member since, last seen and reputation."""
    from forum.accounts import services

    user = make_user(display_name="Payroll Pat")
    services.update_profile(
        user, "Payroll Pat", "I run **payroll**. <script>alert(1)</script>"
    )
    user.created_at = datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    user.last_seen_at = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    db.session.commit()
    response = client.get(f"/users/{user.id}")
    assert response.status_code == 200
    page = text(response)
    assert "<h1" in page and "Payroll Pat" in page
    assert "<strong>payroll</strong>" in page
    assert "<script>alert(1)</script>" not in page
    history = f'Reputation</dt><dd><a href="/users/{user.id}/reputation">1<'
    assert history in page
    assert 'Member since</dt><dd><time datetime="2023-01-02T03:04:05Z"' in page
    assert 'Last seen</dt><dd><time datetime="2024-02-03T04:05:06Z"' in page


def test_profile_lists_questions_and_answers_in_tabs(
    client, make_user, make_question, make_answer
):
    """A profile counts activity and lists the member's questions and answers."""
    user = make_user()
    own = make_question(author=user, title="How do I book a training room here?")
    other = make_question(title="Who signs off on conference travel costs?")
    make_answer(other, author=user)
    questions = text(client.get(f"/users/{user.id}?tab=questions"))
    assert "<strong>1</strong> question</li>" in questions
    assert "<strong>1</strong> answer</li>" in questions
    assert own.title in questions
    assert other.title not in questions
    answers = text(client.get(f"/users/{user.id}?tab=answers"))
    assert other.title in answers
    assert own.title not in answers
    fallback = text(client.get(f"/users/{user.id}?tab=nonsense"))
    assert own.title in fallback


def test_unknown_profile_is_404(client):
    """A profile of a member that does not exist is a 404 page."""
    assert client.get("/users/999").status_code == 404


def _imported_modules(path: Path) -> set[str]:
    """Return the forum modules a source file imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("forum")}


def test_errors_and_web_import_no_view():
    """The shared plumbing (errors.py, web.py) imports no blueprint's views."""
    for name in ("errors.py", "web.py"):
        imported = _imported_modules(ROOT / "forum" / name)
        views = {module for module in imported if "views" in module.split(".")}
        assert views == set(), f"forum/{name} imports {views}"


def test_accounts_views_do_not_import_posts():
    """Accounts know nothing of posts; the profile above both reads from each."""
    imported = _imported_modules(ROOT / "forum" / "accounts" / "views.py")
    assert not {m for m in imported if m.startswith("forum.posts")}
    assert not {m for m in imported if m.endswith("views")}


def test_importing_the_plumbing_loads_no_view():
    """Importing forum.errors and forum.web in a fresh interpreter loads no views."""
    code = (
        "import sys, forum.errors, forum.web;"
        "print(sorted(m for m in sys.modules if m.endswith('.views')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
