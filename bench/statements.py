"""Count the SQL statements Knowhow's pages run, through the Flask test client.

A SQLAlchemy ``before_cursor_execute`` listener counts every statement of one
request. It measures the question page of a question with 1 answer and of one
with 5 answers, anonymous and logged in, on the first view (which also records
the view) and on a repeat view (the steady state the test suite checks against
its limit of 10), plus the list pages. It prints figures; it asserts nothing.

    .venv/bin/python bench/statements.py            # on a fresh temp dataset
    .venv/bin/python bench/statements.py --database-url sqlite:////tmp/x.db -v

With --database-url it reads an already seeded database (bench/seed.py) and writes
view counts and last-seen times into it, so point it at a copy. -v prints the SQL.
"""

import argparse
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed as seeding  # noqa: E402  (bench/seed.py)

from forum.accounts.models import User  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.posts.models import QUESTION, Post  # noqa: E402
from forum.posts.services import slugify  # noqa: E402


@contextmanager
def counting(engine):
    """Collect the statements the engine runs inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        """Remember one statement."""
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def get_counted(client, engine, path: str) -> tuple[int, list[str], bool]:
    """GET a path; return its status, the statements it ran, whether logged in."""
    with counting(engine) as statements:
        response = client.get(path)
    logged_in = "Log out" in response.get_data(as_text=True)
    return response.status_code, statements, logged_in


def log_in(client, session_id: str) -> None:
    """Put a user's login (User.get_id()) into the test client's session cookie."""
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def question_path(question: Post) -> str:
    """Return a question's canonical path."""
    return f"/questions/{question.id}/{slugify(question.title)}"


def question_with(answers: int) -> Post:
    """Return the first question that shows exactly this many answers."""
    question = db.session.scalar(
        select(Post)
        .where(Post.type == QUESTION, Post.answer_count == answers)
        .order_by(Post.id)
    )
    if question is None:
        raise SystemExit(f"no question with {answers} answers in this dataset")
    return question


def measure(app, verbose: bool = False) -> list[tuple[str, str, str, int, int]]:
    """Return (page, viewer, view, status, statements) rows for the seeded app."""
    with app.app_context():
        targets = [(f"question, {n} answer{'s' * (n > 1)}", n) for n in (1, 5)]
        paths = [(label, question_path(question_with(n))) for label, n in targets]
        paths += [("list /questions", "/questions"), ("home /", "/")]
        viewer = db.session.scalar(select(User).order_by(User.id).limit(1))
        viewer_session_id = viewer.get_id()
        engine = db.engine
    # Requests run outside that app context: each gets its own, and its own
    # database session, as in production (no identity map shared between them).
    rows = []
    for who in ("anon", "logged"):
        client = app.test_client()
        if who == "logged":
            log_in(client, viewer_session_id)
        for label, path in paths:
            for view in ("first", "repeat"):
                status, statements, logged_in = get_counted(client, engine, path)
                if logged_in != (who == "logged"):
                    raise SystemExit(f"{who} request to {path} was not {who}")
                rows.append((label, who, view, status, len(statements)))
                if verbose:
                    print(f"--- {label} {who} {view}: {path}")
                    print("\n".join(f"  {s[:160]}" for s in statements))
    return rows


def print_rows(rows) -> None:
    """Print the counts as a small table."""
    print(f"{'page':<24} {'viewer':<7} {'view':<7} {'status':>6} {'statements':>10}")
    for label, who, view, status, count in rows:
        print(f"{label:<24} {who:<7} {view:<7} {status:>6} {count:>10}")


def seeded_temp_app(tmp: str, questions: int = 100, users: int = 40):
    """Create an app on a new SQLite file in tmp with a small seeded dataset."""
    app = seeding.make_app(f"sqlite:///{Path(tmp) / 'bench.db'}")
    with app.app_context():
        db.create_all()
        seeding.fast_sqlite_writes()
        meta = seeding.seed(users, questions, log=lambda *_: None)
    return app, meta


def main() -> None:
    """Measure the statement counts and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a seeded database (use a copy)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the SQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="knowhow-statements-") as tmp:
        if args.database_url:
            app = seeding.make_app(args.database_url)
        else:
            app, _ = seeded_temp_app(tmp)
        print_rows(measure(app, args.verbose))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
