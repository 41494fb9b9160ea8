"""Seed a benchmark database shaped like the Askbot reference dataset.

Measures how long Knowhow takes to build the dataset through its own services
(register_user, ask_question, post_answer, add_comment, accept_answer), so HTML
rendering, revisions, tag and answer counts are maintained exactly as the site
maintains them. Votes come last, in the Askbot reference's proportion (at 10,000
questions: 5,672 question votes and 57,769 answer votes, scaled with --questions),
through the ledger's bulk path (``import_votes``), which writes the votes, the
scores and the reputation ledger rows together, under the daily cap and the floor;
``flask reputation recalc`` finds nothing to repair afterwards. The content
generator mirrors the Askbot reference seeder
(../shared/bench/askbot/seed_askbot.py): same vocabulary, tags, answer weights,
code snippets and search words, with seed 42.

Run from the project root on an empty database (the script refuses a non-empty one):

    .venv/bin/python bench/seed.py --users 200 --questions 1000     # "1k"
    .venv/bin/python bench/seed.py --users 1000 --questions 10000   # "10k"

Default database: sqlite:////tmp/knowhow-bench/knowhow-<1k|10k>.db (``--replace``
deletes an existing file first). It writes next to the database
<prefix>_meta.json (counts, seconds), <prefix>_ids.txt (one question id a line)
and <prefix>_paths.txt (one canonical question path a line).

Speed-ups, none of which changes what a page shows:
- Users are registered with the cheap hash "scrypt:1024:8:1"; at the end every
  user gets one password hash made once with the site's default "scrypt" (as the
  Askbot seeder reuses one PBKDF2 hash). Every password is "benchpass".
- The seeding connection runs SQLite with PRAGMA synchronous=OFF (the Askbot
  seeder did the same); the journal mode stays WAL as the app sets it.

The content is loaded as history: creating tags and commenting on others' posts
are privileges new members have not earned yet, so they are open while it loads,
and votes are imported as past votes, without the privilege check.
"""

import argparse
import json
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import event, func, inspect, select, text, update
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forum import create_app  # noqa: E402
from forum.accounts import services as accounts  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.posts import services as posts  # noqa: E402
from forum.posts.models import Post, Tag  # noqa: E402
from forum.reputation import services as reputation  # noqa: E402

PASSWORD = "benchpass"
CHEAP_HASH = "scrypt:1024:8:1"
SITE_HASH = "scrypt"
BENCH_DIR = Path("/tmp/knowhow-bench")

# ---- vocabulary (the same as the Askbot reference seeder) ----------------------

TAG_BASES = [
    "python", "django", "flask", "sqlite", "postgresql", "javascript", "css",
    "html", "linux", "docker", "git", "nginx", "redis", "rust", "golang",
    "java", "kotlin", "regex", "unicode", "networking",
]  # fmt: skip
TAG_SUFFIXES = [
    "", "-api", "-performance", "-testing", "-deployment",
    "-security", "-config", "-errors", "-migration", "-tutorial",
]  # fmt: skip
TAGS = [base + suffix for base in TAG_BASES for suffix in TAG_SUFFIXES]
TAG_WEIGHTS = [1.0 / (rank + 1) for rank in range(len(TAGS))]  # Zipf-like

WORDS = """
the a an of to in for on with by from at as is are was be been it this that
these those which when where how why what who can could should would will may
might must not no yes but or and if then else because while after before
server client request response database query index table column row schema
migration transaction commit rollback cache session cookie token header body
template view model form field widget route endpoint handler middleware
worker process thread memory cpu latency throughput benchmark profile trace
error exception traceback warning log debug config setting option flag value
string integer list dict tuple set object class method function argument
return import module package version install upgrade dependency build deploy
container image volume network port socket proxy timeout retry backoff queue
message event signal callback promise async await loop future task schedule
file path directory permission owner group user password hash salt encrypt
decrypt certificate key secret environment variable shell script command
output input stream buffer encode decode parse serialize json yaml csv xml
test assert mock fixture coverage lint format style type check compile run
start stop restart reload crash hang slow fast small large empty null default
unique foreign primary constraint join filter sort order limit offset page
search match pattern replace split strip lower upper count sum average max
min first last next previous parent child tree graph node edge weight score
vote answer question comment tag accept edit delete close reopen flag spam
really actually probably maybe always never sometimes usually often quickly
works fails breaks returns raises expects gets sets uses needs wants tries
""".split()
RARE_WORD = "quetzalcoatlus"  # planted in 1 of every 1000 questions
COMMON_WORD = "database"  # a vocabulary word: appears in many posts

CODE_SNIPPETS = [
    (
        "python",
        'import sqlite3\n\nconn = sqlite3.connect("app.db")\n'
        'cur = conn.execute("SELECT id, title FROM question LIMIT 10")\n'
        "for row in cur:\n    print(row)\n",
    ),
    (
        "python",
        "def handler(request):\n    data = request.get_json()\n"
        '    if not data:\n        raise ValueError("empty body")\n'
        '    return {"ok": True, "n": len(data)}\n',
    ),
    (
        "bash",
        "$ pip install -r requirements.txt\n$ gunicorn -w 2 app:app\n"
        "[INFO] Listening at: http://127.0.0.1:8000\n",
    ),
    (
        "sql",
        "CREATE INDEX idx_post_thread ON post(thread_id);\n"
        "EXPLAIN QUERY PLAN SELECT * FROM post WHERE thread_id = 42;\n",
    ),
    (
        "javascript",
        'fetch("/api/questions?page=2")\n'
        "  .then(r => r.json())\n  .then(d => console.log(d.items.length));\n",
    ),
    (
        "text",
        'Traceback (most recent call last):\n  File "app.py", line 12, in <module>\n'
        "    main()\nKeyError: 'user_id'\n",
    ),
]
ANSWER_COUNTS, ANSWER_WEIGHTS = [0, 1, 2, 3, 4, 5], [15, 30, 25, 15, 10, 5]
COMMENT_COUNTS, COMMENT_WEIGHTS = [0, 1, 2, 3], [65, 22, 9, 4]
ACCEPT_SHARE = 0.4
# Votes in the Askbot reference dataset at 10,000 questions, scaled by questions.
QUESTION_VOTES_PER_10K = 5672
ANSWER_VOTES_PER_10K = 57769
# The reference gives totals only; as on Stack Overflow sites, 9 in 10 are up votes.
UP_SHARE = 0.9
# A vote comes within this long after its post (and before the year ends).
VOTE_WINDOW = timedelta(days=30)


def sentence(rng: random.Random, n_min: int = 6, n_max: int = 16) -> str:
    """Return a sentence of vocabulary words, sometimes with inline code or bold."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(n_min, n_max))]
    if rng.random() < 0.15:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}()`"
    if rng.random() < 0.15:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    """Return a paragraph of two to five sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def markdown_body(rng: random.Random, extra_word: str | None = None) -> str:
    """Return a Markdown body: paragraphs, maybe fenced code and lists."""
    parts = [paragraph(rng)]
    if rng.random() < 0.45:
        lang, code = rng.choice(CODE_SNIPPETS)
        parts.append(f"```{lang}\n{code}```")
    if rng.random() < 0.35:
        items = rng.randint(2, 5)
        parts.append("\n".join("- " + sentence(rng, 3, 8) for _ in range(items)))
    if rng.random() < 0.15:
        items = rng.randint(2, 4)
        parts.append("\n".join(f"{i + 1}. {sentence(rng, 3, 8)}" for i in range(items)))
    for _ in range(rng.randint(0, 2)):
        parts.append(paragraph(rng))
    if extra_word:
        parts.append(f"I also saw {extra_word} mentioned in the docs.")
    while len("\n\n".join(parts)) < posts.BODY_MIN:
        parts.append(paragraph(rng))
    return "\n\n".join(parts)


def title(rng: random.Random) -> str:
    """Return a question title of 15 to 150 characters."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 11))]
    while len(" ".join(words)) < posts.TITLE_MIN:
        words.append(rng.choice(WORDS))
    text = " ".join(words)
    return (text[0].upper() + text[1:])[: posts.TITLE_MAX - 1] + "?"


def pick_tags(rng: random.Random) -> list[str]:
    """Return one to four distinct tags, popular ones far more often."""
    chosen: list[str] = []
    wanted = rng.randint(1, 4)
    while len(chosen) < wanted:
        tag = rng.choices(TAGS, weights=TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def comment_text(rng: random.Random) -> str:
    """Return a comment of one or two sentences, long enough to be accepted."""
    parts = [sentence(rng, 4, 12) for _ in range(rng.randint(1, 2))]
    while len(" ".join(parts)) < posts.COMMENT_MIN:
        parts.append(sentence(rng, 4, 12))
    return " ".join(parts)


# ---- seeding -------------------------------------------------------------------


@contextmanager
def history_privileges():
    """Open tag creation and comments everywhere while the history loads."""
    config = current_app.config
    saved = config.get("PRIVILEGE_THRESHOLDS")
    config["PRIVILEGE_THRESHOLDS"] = {
        **(saved or {}),
        "create_tags": 1,
        "comment_everywhere": 1,
    }
    try:
        yield
    finally:
        config["PRIVILEGE_THRESHOLDS"] = saved


def plan_votes(
    rng: random.Random,
    targets: list[tuple[int, int, datetime]],
    wanted: int,
    user_ids,
    end: datetime,
) -> list:
    """Return wanted votes on random posts, each by a member who did not write it.

    targets holds (post id, author id, created at); nobody votes twice on a post.
    """
    chosen: set[tuple[int, int]] = set()
    planned = []
    attempts = 0
    while len(planned) < wanted and targets and attempts < wanted * 20:
        attempts += 1
        post_id, author_id, created_at = targets[rng.randrange(len(targets))]
        voter_id = user_ids[rng.randrange(len(user_ids))]
        if voter_id == author_id or (voter_id, post_id) in chosen:
            continue
        chosen.add((voter_id, post_id))
        window = min(VOTE_WINDOW, end - created_at)
        at = created_at + window * rng.random()
        value = 1 if rng.random() < UP_SHARE else -1
        planned.append(reputation.PastVote(voter_id, post_id, value, at))
    return planned


def identity(instance) -> int:
    """Return a stored instance's id without reloading it after a commit."""
    return inspect(instance).identity[0]


def make_app(database_url: str):
    """Create the app for seeding: cheap password hashes, a bench-only secret."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "knowhow-bench-only",
            "PASSWORD_HASH_METHOD": CHEAP_HASH,
        }
    )


def fast_sqlite_writes() -> None:
    """Skip fsync on the seeding connections (not stored in the database file)."""
    if db.engine.dialect.name != "sqlite":
        return

    @event.listens_for(db.engine, "connect")
    def _no_sync(dbapi_connection, connection_record):
        """Turn off synchronous writes for this connection."""
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    db.engine.dispose()


def seed(n_users: int, n_questions: int, rng_seed: int = 42, log=print) -> dict:
    """Fill the current app's empty database and return counts and timings."""
    rng = random.Random(rng_seed)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    # Questions are spread evenly over one year; a question's answers, comments
    # and acceptance follow it in small steps inside its slot.
    slot = timedelta(days=365) / n_questions
    tick = slot / 40

    t0, cpu0 = time.perf_counter(), time.process_time()
    # The content is history: see the module docstring on privileges.
    with history_privileges():
        users = [
            accounts.register_user(
                f"user{i:04d}",
                f"user{i:04d}@example.com",
                PASSWORD,
                now=base - timedelta(days=rng.randint(1, 365)),
            )
            for i in range(n_users)
        ]
        t_users = time.perf_counter() - t0
        log(f"users: {n_users} in {t_users:.1f}s")

        counts = dict(answers=0, accepted=0, comments=0, rare_questions=0)
        question_ids: list[int] = []
        voteable_questions: list[tuple[int, int, datetime]] = []
        voteable_answers: list[tuple[int, int, datetime]] = []
        paths: list[str] = []
        t_q0 = time.perf_counter()
        every = max(1, n_questions // 10)
        for qi in range(n_questions):
            ts = base + slot * qi
            asker = users[rng.randrange(n_users)]
            extra = RARE_WORD if qi % 1000 == 7 else None
            counts["rare_questions"] += extra is not None
            question = posts.ask_question(
                asker, title(rng), markdown_body(rng, extra), pick_tags(rng), now=ts
            )
            question_ids.append(question.id)
            voteable_questions.append((question.id, identity(asker), ts))
            paths.append(f"/questions/{question.id}/{posts.slugify(question.title)}")

            n_answers = rng.choices(ANSWER_COUNTS, weights=ANSWER_WEIGHTS)[0]
            answerers = [
                user
                for user in rng.sample(users, min(n_answers + 1, n_users))
                if user is not asker
            ][:n_answers]
            answers = []
            for author in answerers:
                ts += tick
                answers.append(
                    posts.post_answer(author, question, markdown_body(rng), now=ts)
                )
                # The identity map knows the ids: no query to reload them.
                voteable_answers.append((identity(answers[-1]), identity(author), ts))
            counts["answers"] += len(answers)

            for post in [question, *answers]:
                for _ in range(rng.choices(COMMENT_COUNTS, weights=COMMENT_WEIGHTS)[0]):
                    ts += tick
                    posts.add_comment(
                        users[rng.randrange(n_users)], post, comment_text(rng), now=ts
                    )
                    counts["comments"] += 1

            if answers and rng.random() < ACCEPT_SHARE:
                ts += tick
                posts.accept_answer(asker, rng.choice(answers), now=ts)
                counts["accepted"] += 1

            if (qi + 1) % every == 0 or qi + 1 == n_questions:
                elapsed = time.perf_counter() - t_q0
                log(
                    f"questions {qi + 1}/{n_questions}  answers {counts['answers']}  "
                    f"comments {counts['comments']}  {elapsed:.1f}s "
                    f"({(qi + 1) / elapsed:.1f} q/s)"
                )
        t_questions = time.perf_counter() - t_q0

    # Votes from their own generator, so the content stays the reference's.
    t_v = time.perf_counter()
    vote_rng = random.Random(rng_seed + 1)
    user_ids = [identity(user) for user in users]
    end = base + timedelta(days=365)
    question_votes = plan_votes(
        vote_rng,
        voteable_questions,
        round(QUESTION_VOTES_PER_10K * n_questions / 10_000),
        user_ids,
        end,
    )
    answer_votes = plan_votes(
        vote_rng,
        voteable_answers,
        round(ANSWER_VOTES_PER_10K * n_questions / 10_000),
        user_ids,
        end,
    )
    reputation.import_votes([*question_votes, *answer_votes])
    t_votes = time.perf_counter() - t_v
    log(
        f"votes: {len(question_votes)} on questions, {len(answer_votes)} on answers "
        f"in {t_votes:.1f}s"
    )

    # One hash at the site's real cost, shared by every account (see docstring).
    t_h = time.perf_counter()
    db.session.execute(
        update(User).values(password_hash=generate_password_hash(PASSWORD, SITE_HASH))
    )
    db.session.commit()
    t_hash = time.perf_counter() - t_h

    total = time.perf_counter() - t0
    return dict(
        users=n_users,
        questions=n_questions,
        votes=len(question_votes) + len(answer_votes),
        question_votes=len(question_votes),
        answer_votes=len(answer_votes),
        **counts,
        tags_used=db.session.scalar(
            select(func.count()).select_from(Tag).where(Tag.question_count > 0)
        ),
        seed=rng_seed,
        common_word=COMMON_WORD,
        rare_word=RARE_WORD,
        password=PASSWORD,
        password_hash_while_seeding=CHEAP_HASH,
        password_hash_stored=SITE_HASH,
        seconds_total=round(total, 1),
        seconds_users=round(t_users, 1),
        seconds_questions=round(t_questions, 1),
        seconds_votes=round(t_votes, 1),
        seconds_final_hash=round(t_hash, 2),
        cpu_seconds=round(time.process_time() - cpu0, 1),
        questions_per_second=round(n_questions / t_questions, 2),
        question_ids=question_ids,
        paths=paths,
    )


def prepare_database(database_url: str, replace: bool) -> None:
    """Delete an old SQLite file when asked, and make sure its folder exists."""
    if not database_url.startswith("sqlite:///"):
        return
    path = Path(database_url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and replace:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_file(database_url: str) -> Path | None:
    """Return the SQLite file a URL names, or None for other databases."""
    if database_url.startswith("sqlite:///"):
        return Path(database_url.removeprefix("sqlite:///"))
    return None


def code_sha() -> str:
    """Return the checksum of the app code, as bench/snapshot.sh computes it."""
    script = Path(__file__).with_name("snapshot.sh")
    command = ["bash", str(script), "--sha", str(ROOT)]
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


def main() -> None:
    """Parse the arguments, migrate, seed and write the meta and id files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database-url", help="default: a SQLite file in /tmp")
    parser.add_argument("--out-prefix", help="default: <db folder>/seed<label>")
    parser.add_argument("--replace", action="store_true", help="delete the old file")
    args = parser.parse_args()

    label = (
        f"{args.questions // 1000}k" if args.questions % 1000 == 0 else args.questions
    )
    url = args.database_url or f"sqlite:///{BENCH_DIR / f'knowhow-{label}.db'}"
    prepare_database(url, args.replace)
    db_file = sqlite_file(url)
    prefix = args.out_prefix or str(
        (db_file.parent if db_file else BENCH_DIR) / f"seed{label}"
    )
    Path(prefix).parent.mkdir(parents=True, exist_ok=True)

    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # what `flask db upgrade` does
        if db.session.scalar(select(func.count()).select_from(Post)):
            sys.exit(f"{url} already holds posts; seed an empty database (--replace)")
        fast_sqlite_writes()
        meta = seed(args.users, args.questions, args.seed)
        if db.engine.dialect.name == "sqlite":
            # Fold the WAL into the main file so the file can be copied alone.
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()

    question_ids, paths = meta.pop("question_ids"), meta.pop("paths")
    Path(f"{prefix}_ids.txt").write_text("".join(f"{i}\n" for i in question_ids))
    Path(f"{prefix}_paths.txt").write_text("".join(f"{p}\n" for p in paths))
    meta["database_url"] = url
    meta["code_sha"] = code_sha()
    if db_file:
        meta["db_bytes"] = db_file.stat().st_size
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    Path(f"{prefix}_meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))
    print(f"wrote {prefix}_meta.json, {prefix}_ids.txt, {prefix}_paths.txt")


if __name__ == "__main__":
    if "--bulk" in sys.argv[1:]:
        # Large communities: the same kind of content in bulk (see bench/bulk.py).
        import bulk

        bulk.main()
    else:
        main()
