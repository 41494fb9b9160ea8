"""Seed a large benchmark community in bulk: what the services would store, fast.

bench/seed.py builds its community through the services, one post at a time
(about 80 questions a second). This module plans the same kind of community
(seed.py's vocabulary, Markdown bodies, comment weights and times; about 2.5
answers a question and 2,000 tags drawn with Zipf weights) and writes it with
a few multi-row INSERTs per thousand questions, storing what ask_question,
post_answer, add_comment and accept_answer would have stored:

- posts with body_html from render_markdown, answer and comment counts, the
  question's last activity and accepted answer, in the services' id order;
- one revision per post ("Asked" / "Answered"), with the tags text;
- tags created at their first use, with question counts; post_tags;
- comments with body_html from render_inline;
- the reputation ledger rows of each acceptance and the members' reputation;
- votes as bench/seed.py plans them, through the ledger's import_votes;
- badges, awarded at the end as `flask badges award` does (--no-badges skips
  it: it takes most of the time at 100,000 questions);
- search index entries: no outbox rows are written; `search reindex`
  (services.reindex_all) runs at the end and is timed on its own.

It checks no privileges and sends nothing (as an import would). Rendering is
the cost: every distinct body is rendered once. A real community repeats
itself too, so bodies are drawn from a pool of --distinct-bodies Markdown
texts (and comments from a pool a third of that size); titles and tags are
drawn per question, and every thousandth question gets a body of its own with
the rare word. tests/test_bench_bulk.py checks that a small bulk seed stores
what the services store for the same plan.

Run from the project root on an empty database (--replace deletes the file):

    .venv/bin/python bench/bulk.py --users 2000 --questions 100000 --replace
    .venv/bin/python bench/seed.py --bulk ...   # the same, through seed.py

Default database: sqlite:////tmp/knowhow-bench/knowhow-<label>.db, its Whoosh
index in knowhow-<label>-search/ beside it, and seed<label>_meta.json,
_ids.txt and _paths.txt as bench/seed.py writes them. The schema is created
from the models (migrations may lag the models while work is in progress).
"""

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import seed as services_seed  # noqa: E402  (bench/seed.py: content and helpers)
from sqlalchemy import bindparam, func, insert, select, text, update  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from forum.accounts import services as accounts  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.markup import render_inline, render_markdown  # noqa: E402
from forum.posts import services as posts  # noqa: E402
from forum.posts.models import (  # noqa: E402
    ANSWER,
    QUESTION,
    Comment,
    Post,
    Revision,
    Tag,
    post_tags,
)
from forum.reputation import models as ledger  # noqa: E402
from forum.reputation import services as reputation  # noqa: E402
from forum.reputation.config import amount  # noqa: E402

TAG_COUNT = 2000
DISTINCT_BODIES = 12000
CHUNK = 1000
# Tag names: bench/seed.py's 20 bases and 10 suffixes, widened to 100 x 20.
MORE_BASES = """
ruby php perl scala elixir haskell swift dart typescript node react vue angular
svelte jquery bootstrap tailwind webpack vite babel eslint npm yarn pip poetry
conda numpy pandas scipy matplotlib jupyter pytest celery rabbitmq kafka
elasticsearch mongodb mysql mariadb oracle mssql cassandra sqlalchemy alembic
graphql grpc rest oauth jwt ssl tls ssh dns http websocket tcp udp kubernetes
helm terraform ansible puppet vagrant aws azure gcp lambda s3 cloudfront
excel powershell bash vim emacs vscode intellij windows macos android ios
""".split()
MORE_SUFFIXES = [
    "-install",
    "-logging",
    "-caching",
    "-monitoring",
    "-upgrade",
    "-debugging",
    "-scaling",
    "-auth",
    "-docs",
    "-offline",
]
ACCEPT_REASONS = (ledger.ACCEPTED_ANSWER, ledger.ANSWER_ACCEPTED)
# About 2.5 answers a question (bench/seed.py's Askbot weights give 1.9).
ANSWER_COUNTS, ANSWER_WEIGHTS = [0, 1, 2, 3, 4, 5], [10, 15, 25, 25, 15, 10]


def tag_vocabulary(count: int = TAG_COUNT, rng_seed: int = 42) -> list[str]:
    """Return count tag names, most popular first (a seeded shuffle of the grid)."""
    bases = services_seed.TAG_BASES + MORE_BASES
    suffixes = services_seed.TAG_SUFFIXES + MORE_SUFFIXES
    names = [base + suffix for base in bases for suffix in suffixes]
    if count > len(names):
        raise ValueError(f"at most {len(names)} tags")
    random.Random(rng_seed).shuffle(names)
    return names[:count]


# ---- the plan: what the community holds, before anything is written ----------


@dataclass(frozen=True)
class Body:
    """Some Markdown and the HTML the services would store for it."""

    markdown: str
    html: str


@dataclass
class PlannedComment:
    """A comment to write: who, what, when."""

    author: int
    body: Body
    at: datetime


@dataclass
class PlannedAnswer:
    """An answer to write, with its comments."""

    author: int
    body: Body
    at: datetime
    comments: list[PlannedComment] = field(default_factory=list)


@dataclass
class PlannedQuestion:
    """A question to write, with its answers, comments and acceptance.

    Users are indexes into the list of members; events happen in the order
    seed.py makes them: the question, its answers, the comments on the question
    and then on each answer, and last the acceptance.
    """

    asker: int
    title: str
    body: Body
    tags: list[str]
    at: datetime
    answers: list[PlannedAnswer] = field(default_factory=list)
    comments: list[PlannedComment] = field(default_factory=list)
    accepted: int | None = None
    accepted_at: datetime | None = None
    rare: bool = False

    @property
    def last_activity_at(self) -> datetime:
        """Return when the thread last changed (answer, comment or acceptance)."""
        moments = [self.at, *(answer.at for answer in self.answers)]
        moments += [c.at for c in self.comments]
        moments += [c.at for answer in self.answers for c in answer.comments]
        if self.accepted_at:
            moments.append(self.accepted_at)
        return max(moments)


def render_pool(texts: list[str], render) -> list[Body]:
    """Render each text once."""
    return [Body(markdown, render(markdown)) for markdown in texts]


@dataclass
class Pools:
    """The distinct post bodies and comments the plan draws from."""

    bodies: list[Body]
    comments: list[Body]
    seconds: float = 0.0


def make_pools(n_bodies: int, n_comments: int, rng_seed: int = 42) -> Pools:
    """Write and render the pools of post bodies and comments."""
    rng = random.Random(rng_seed + 1)
    started = time.perf_counter()
    bodies = render_pool(
        [_clean_body(services_seed.markdown_body(rng)) for _ in range(n_bodies)],
        render_markdown,
    )
    comments = render_pool(
        [_clean_comment(services_seed.comment_text(rng)) for _ in range(n_comments)],
        render_inline,
    )
    return Pools(bodies, comments, time.perf_counter() - started)


def _clean_body(body: str) -> str:
    """Return a body as the services store it (line endings, outer space)."""
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_comment(body: str) -> str:
    """Return a comment as the services store it (white space collapsed)."""
    return " ".join(body.split())


def plan_questions(
    n_users: int,
    n_questions: int,
    pools: Pools,
    tags: list[str],
    rng_seed: int = 42,
):
    """Yield the planned questions of a community, reproducibly from the seed."""
    rng = random.Random(rng_seed)
    cum_weights = list(
        itertools.accumulate(1.0 / (rank + 1) for rank in range(len(tags)))
    )
    base = datetime(2025, 1, 1, tzinfo=UTC)
    slot = timedelta(days=365) / n_questions
    tick = slot / 40
    seed = services_seed
    for number in range(n_questions):
        at = base + slot * number
        asker = rng.randrange(n_users)
        rare = number % 1000 == 7
        title = " ".join(seed.title(rng).split())
        if rare:
            markdown = _clean_body(seed.markdown_body(rng, seed.RARE_WORD))
            body = Body(markdown, render_markdown(markdown))
        else:
            body = pools.bodies[rng.randrange(len(pools.bodies))]
        wanted = rng.randint(1, 4)
        names: list[str] = []
        while len(names) < wanted:
            name = tags[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]
            if name not in names:
                names.append(name)
        question = PlannedQuestion(asker, title, body, names, at, rare=rare)
        n_answers = rng.choices(ANSWER_COUNTS, weights=ANSWER_WEIGHTS)[0]
        answerers = [
            user
            for user in rng.sample(range(n_users), min(n_answers + 1, n_users))
            if user != asker
        ][:n_answers]
        for author in answerers:
            at += tick
            body = pools.bodies[rng.randrange(len(pools.bodies))]
            question.answers.append(PlannedAnswer(author, body, at))
        for post in [question, *question.answers]:
            count = rng.choices(seed.COMMENT_COUNTS, weights=seed.COMMENT_WEIGHTS)[0]
            for _ in range(count):
                at += tick
                comment = pools.comments[rng.randrange(len(pools.comments))]
                post.comments.append(
                    PlannedComment(rng.randrange(n_users), comment, at)
                )
        if question.answers and rng.random() < seed.ACCEPT_SHARE:
            question.accepted = rng.randrange(len(question.answers))
            question.accepted_at = at + tick
        yield question


# ---- writing the plan --------------------------------------------------------


def write_through_services(questions, users: list[User]) -> list[int]:
    """Write planned questions one service call at a time; return the question ids."""
    ids = []
    for planned in questions:
        asker = users[planned.asker]
        question = posts.ask_question(
            asker, planned.title, planned.body.markdown, planned.tags, now=planned.at
        )
        answers = [
            posts.post_answer(
                users[answer.author], question, answer.body.markdown, now=answer.at
            )
            for answer in planned.answers
        ]
        for post, plan in zip(
            [question, *answers], [planned, *planned.answers], strict=True
        ):
            for comment in plan.comments:
                posts.add_comment(
                    users[comment.author], post, comment.body.markdown, now=comment.at
                )
        if planned.accepted is not None:
            posts.accept_answer(
                asker, answers[planned.accepted], now=planned.accepted_at
            )
        ids.append(question.id)
    return ids


@dataclass
class BulkWriter:
    """Writes planned questions in multi-row INSERTs as the services store them."""

    user_ids: list[int]
    next_post_id: int = 1
    tag_ids: dict[str, int] = field(default_factory=dict)
    next_tag_id: int = 1
    reputation: Counter = field(default_factory=Counter)
    question_ids: list[int] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # (post id, author id, created at) of every question and answer, for votes.
    voteable_questions: list[tuple] = field(default_factory=list)
    voteable_answers: list[tuple] = field(default_factory=list)

    @classmethod
    def for_current_database(cls, user_ids: list[int]) -> "BulkWriter":
        """Return a writer whose ids continue after the rows already stored."""
        writer = cls(user_ids)
        writer.next_post_id = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
        writer.tag_ids = dict(db.session.execute(select(Tag.name, Tag.id)).all())
        writer.next_tag_id = (db.session.scalar(select(func.max(Tag.id))) or 0) + 1
        return writer

    def write(self, questions: list[PlannedQuestion]) -> None:
        """Insert one batch of planned questions and everything they bring."""
        post_rows, revision_rows, tag_rows, link_rows = [], [], [], []
        comment_rows, event_rows, accepted = [], [], []
        for planned in questions:
            question_id = self.next_post_id
            self.next_post_id += 1 + len(planned.answers)
            answer_ids = list(range(question_id + 1, self.next_post_id))
            asker = self.user_ids[planned.asker]
            names = posts.parse_tags(planned.tags)
            for name in names:
                if name not in self.tag_ids:
                    self.tag_ids[name] = self.next_tag_id
                    tag_rows.append(
                        {"id": self.next_tag_id, "name": name, "created_at": planned.at}
                    )
                    self.next_tag_id += 1
            link_rows += [
                {"post_id": question_id, "tag_id": self.tag_ids[name]} for name in names
            ]
            post_rows.append(
                _post_row(
                    question_id,
                    QUESTION,
                    None,
                    asker,
                    planned.title,
                    planned.body,
                    planned.at,
                    planned.last_activity_at,
                    answer_count=len(planned.answers),
                    comment_count=len(planned.comments),
                )
            )
            revision_rows.append(
                _revision_row(
                    question_id,
                    asker,
                    "Asked",
                    planned.title,
                    " ".join(sorted(names)),
                    planned.body,
                    planned.at,
                )
            )
            for answer_id, answer in zip(answer_ids, planned.answers, strict=True):
                author = self.user_ids[answer.author]
                post_rows.append(
                    _post_row(
                        answer_id,
                        ANSWER,
                        question_id,
                        author,
                        None,
                        answer.body,
                        answer.at,
                        answer.at,
                        comment_count=len(answer.comments),
                    )
                )
                revision_rows.append(
                    _revision_row(
                        answer_id, author, "Answered", None, "", answer.body, answer.at
                    )
                )
            for post_id, plan in zip(
                [question_id, *answer_ids], [planned, *planned.answers], strict=True
            ):
                comment_rows += [
                    {
                        "post_id": post_id,
                        "author_id": self.user_ids[comment.author],
                        "body_markdown": comment.body.markdown,
                        "body_html": comment.body.html,
                        "created_at": comment.at,
                    }
                    for comment in plan.comments
                ]
            if planned.accepted is not None:
                answer_id = answer_ids[planned.accepted]
                answerer = self.user_ids[planned.answers[planned.accepted].author]
                accepted.append({"id": question_id, "accepted_answer_id": answer_id})
                if answerer != asker:
                    # In the order the ledger writes them (see reputation._sync).
                    for reason, user_id in sorted(
                        zip(ACCEPT_REASONS, (asker, answerer), strict=True)
                    ):
                        event_rows.append(
                            {
                                "user_id": user_id,
                                "amount": amount(reason),
                                "reason": reason,
                                "post_id": answer_id,
                                "actor_id": asker,
                                "capped": False,
                                "created_at": planned.accepted_at,
                            }
                        )
                        self.reputation[user_id] += amount(reason)
            self.question_ids.append(question_id)
            self.voteable_questions.append((question_id, asker, planned.at))
            self.voteable_answers += [
                (answer_id, self.user_ids[answer.author], answer.at)
                for answer_id, answer in zip(answer_ids, planned.answers, strict=True)
            ]
            self.counts["questions"] += 1
            self.counts["answers"] += len(planned.answers)
            self.counts["comments"] += len(planned.comments) + sum(
                len(answer.comments) for answer in planned.answers
            )
            self.counts["accepted"] += planned.accepted is not None
            self.counts["rare_questions"] += planned.rare
        # Core statements on the connection: no session events, so no outbox rows.
        connection = db.session.connection()
        for table, rows in (
            (Tag.__table__, tag_rows),
            (Post.__table__, post_rows),
            (post_tags, link_rows),
            (Revision.__table__, revision_rows),
            (Comment.__table__, comment_rows),
            (ledger.ReputationEvent.__table__, event_rows),
        ):
            if rows:
                connection.execute(insert(table), rows)
        if accepted:
            table = Post.__table__
            connection.execute(
                update(table)
                .where(table.c.id == _bound("id"))
                .values(accepted_answer_id=_bound("accepted_answer_id")),
                [
                    {
                        "b_id": row["id"],
                        "b_accepted_answer_id": row["accepted_answer_id"],
                    }
                    for row in accepted
                ],
            )
        db.session.commit()

    def finish(self) -> None:
        """Store the tags' question counts and the members' reputation."""
        connection = db.session.connection()
        counted = (
            select(func.count())
            .select_from(post_tags.join(Post.__table__))
            .where(post_tags.c.tag_id == Tag.__table__.c.id, Post.deleted_at.is_(None))
            .scalar_subquery()
        )
        connection.execute(update(Tag.__table__).values(question_count=counted))
        if self.reputation:
            table = User.__table__
            connection.execute(
                update(table)
                .where(table.c.id == _bound("id"))
                .values(reputation=table.c.reputation + _bound("gain")),
                [
                    {"b_id": user, "b_gain": gain}
                    for user, gain in self.reputation.items()
                ],
            )
            self.reputation.clear()
        _continue_sequences(connection)
        db.session.commit()


def _bound(name: str):
    """Return a bound parameter for an executemany UPDATE."""
    return bindparam(f"b_{name}")


def _post_row(
    post_id,
    kind,
    parent_id,
    author_id,
    title,
    body: Body,
    created_at,
    active_at,
    *,
    answer_count: int = 0,
    comment_count: int = 0,
) -> dict:
    """Return the posts row of a new question or answer."""
    return {
        "id": post_id,
        "type": kind,
        "parent_id": parent_id,
        "author_id": author_id,
        "title": title,
        "body_markdown": body.markdown,
        "body_html": body.html,
        "answer_count": answer_count,
        "comment_count": comment_count,
        "created_at": created_at,
        "last_activity_at": active_at,
    }


def _revision_row(post_id, author_id, summary, title, tags_text, body: Body, at):
    """Return the first revision of a post."""
    return {
        "post_id": post_id,
        "number": 1,
        "author_id": author_id,
        "summary": summary,
        "title": title,
        "tags_text": tags_text,
        "body_markdown": body.markdown,
        "created_at": at,
    }


def _continue_sequences(connection) -> None:
    """Move PostgreSQL's id sequences past the ids written explicitly."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("posts", "tags"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def write_in_bulk(questions, user_ids: list[int], chunk: int = CHUNK, log=None):
    """Write planned questions in batches; return the writer with its counts."""
    writer = BulkWriter.for_current_database(user_ids)
    batch: list[PlannedQuestion] = []
    started = time.perf_counter()
    for planned in questions:
        batch.append(planned)
        if len(batch) == chunk:
            writer.write(batch)
            batch = []
            if log and writer.counts["questions"] % (chunk * 10) == 0:
                done = writer.counts["questions"]
                elapsed = time.perf_counter() - started
                log(f"questions {done}  {elapsed:.1f}s ({done / elapsed:.0f} q/s)")
    if batch:
        writer.write(batch)
    writer.finish()
    return writer


# ---- the whole seed ------------------------------------------------------------


def register_users(n_users: int, rng_seed: int = 42) -> list[User]:
    """Register the members as bench/seed.py does."""
    rng = random.Random(rng_seed)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        accounts.register_user(
            f"user{i:04d}",
            f"user{i:04d}@example.com",
            services_seed.PASSWORD,
            now=base - timedelta(days=rng.randint(1, 365)),
        )
        for i in range(n_users)
    ]


def seed_bulk(
    n_users: int,
    n_questions: int,
    rng_seed: int = 42,
    *,
    n_tags: int = TAG_COUNT,
    distinct_bodies: int = DISTINCT_BODIES,
    reindex: bool = True,
    award: bool = True,
    log=print,
) -> dict:
    """Fill the current app's empty database in bulk; return counts and timings."""
    from forum.badges.services import award_badges
    from forum.search.services import reindex_all

    t0, cpu0 = time.perf_counter(), time.process_time()
    users = register_users(n_users, rng_seed)
    user_ids = [user.id for user in users]
    t_users = time.perf_counter() - t0
    log(f"users: {n_users} in {t_users:.1f}s")

    # Small communities get a body of their own for every post.
    posts_needed = n_questions * 4
    pools = make_pools(
        min(distinct_bodies, posts_needed),
        max(1, min(distinct_bodies // 3, posts_needed)),
        rng_seed,
    )
    log(
        f"rendered {len(pools.bodies)} bodies and {len(pools.comments)} comments "
        f"in {pools.seconds:.1f}s"
    )
    tags = tag_vocabulary(n_tags, rng_seed)

    t_write = time.perf_counter()
    writer = write_in_bulk(
        plan_questions(n_users, n_questions, pools, tags, rng_seed),
        user_ids,
        log=log,
    )
    t_write = time.perf_counter() - t_write
    log(f"wrote {n_questions} questions in {t_write:.1f}s")

    # Votes as bench/seed.py casts them: its planner, the ledger's bulk import.
    t_votes = time.perf_counter()
    vote_rng = random.Random(rng_seed + 1)
    end = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=365)
    votes = [
        vote
        for targets, per_10k in (
            (writer.voteable_questions, services_seed.QUESTION_VOTES_PER_10K),
            (writer.voteable_answers, services_seed.ANSWER_VOTES_PER_10K),
        )
        for vote in services_seed.plan_votes(
            vote_rng, targets, round(per_10k * n_questions / 10_000), user_ids, end
        )
    ]
    reputation.import_votes(votes)
    t_votes = time.perf_counter() - t_votes
    log(f"imported {len(votes)} votes in {t_votes:.1f}s")

    t_badges, badges = time.perf_counter(), None
    if award:
        badges = award_badges()
        log(f"awarded {badges} badges in {time.perf_counter() - t_badges:.1f}s")
    t_badges = time.perf_counter() - t_badges

    t_hash = time.perf_counter()
    db.session.execute(
        update(User).values(
            password_hash=generate_password_hash(
                services_seed.PASSWORD, services_seed.SITE_HASH
            )
        )
    )
    db.session.commit()
    t_hash = time.perf_counter() - t_hash
    seeded = time.perf_counter() - t0
    cpu = time.process_time() - cpu0

    t_index, indexed = time.perf_counter(), 0
    if reindex:
        indexed = reindex_all()
        log(f"indexed {indexed} posts in {time.perf_counter() - t_index:.1f}s")
    t_index = time.perf_counter() - t_index

    question_ids = writer.question_ids
    titles = dict(
        db.session.execute(
            select(Post.id, Post.title).where(Post.type == QUESTION)
        ).all()
    )
    return dict(
        users=n_users,
        questions=n_questions,
        votes=len(votes),
        answers=writer.counts["answers"],
        accepted=writer.counts["accepted"],
        comments=writer.counts["comments"],
        rare_questions=writer.counts["rare_questions"],
        badges=badges,
        tags_vocabulary=len(tags),
        tags_used=db.session.scalar(
            select(func.count()).select_from(Tag).where(Tag.question_count > 0)
        ),
        distinct_bodies=len(pools.bodies),
        distinct_comments=len(pools.comments),
        seed=rng_seed,
        common_word=services_seed.COMMON_WORD,
        rare_word=services_seed.RARE_WORD,
        password=services_seed.PASSWORD,
        password_hash_while_seeding=services_seed.CHEAP_HASH,
        password_hash_stored=services_seed.SITE_HASH,
        path="bulk",
        seconds_total=round(seeded, 1),
        seconds_users=round(t_users, 1),
        seconds_render_pools=round(pools.seconds, 1),
        seconds_questions=round(t_write, 1),
        seconds_votes=round(t_votes, 1),
        seconds_badges=round(t_badges, 1) if award else None,
        seconds_final_hash=round(t_hash, 2),
        seconds_reindex=round(t_index, 1) if reindex else None,
        posts_indexed=indexed,
        cpu_seconds=round(cpu, 1),
        questions_per_second=round(n_questions / max(t_write, 1e-9), 1),
        question_ids=question_ids,
        paths=[
            f"/questions/{qid}/{posts.slugify(titles[qid])}" for qid in question_ids
        ],
    )


def make_app(database_url: str, index_dir: str, **overrides):
    """Create the app for seeding, with its search index in index_dir."""
    from forum import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "knowhow-bench-only",
            "PASSWORD_HASH_METHOD": services_seed.CHEAP_HASH,
            "SEARCH_INDEX_DIR": index_dir,
            "SEARCH_INDEXER_THREAD": False,
            **overrides,
        }
    )


def index_dir_for(database_url: str) -> str:
    """Return the Whoosh index folder that goes with a benchmark database."""
    db_file = services_seed.sqlite_file(database_url)
    if db_file:
        return str(db_file.with_name(db_file.stem + "-search"))
    return str(services_seed.BENCH_DIR / "search")


def main() -> None:
    """Parse the arguments, create the schema, seed in bulk, write the meta files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulk", action="store_true", help="(seed.py's switch)")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tags", type=int, default=TAG_COUNT)
    parser.add_argument("--distinct-bodies", type=int, default=DISTINCT_BODIES)
    parser.add_argument("--no-reindex", action="store_true", help="leave the index")
    parser.add_argument("--no-badges", action="store_true", help="award none")
    parser.add_argument("--database-url", help="default: a SQLite file in /tmp")
    parser.add_argument("--index-dir", help="default: beside the SQLite file")
    parser.add_argument("--out-prefix", help="default: <db folder>/seed<label>")
    parser.add_argument("--replace", action="store_true", help="delete the old files")
    args = parser.parse_args()

    label = (
        f"{args.questions // 1000}k" if args.questions % 1000 == 0 else args.questions
    )
    bench_dir = services_seed.BENCH_DIR
    url = args.database_url or f"sqlite:///{bench_dir / f'knowhow-{label}.db'}"
    services_seed.prepare_database(url, args.replace)
    db_file = services_seed.sqlite_file(url)
    index_dir = Path(args.index_dir or index_dir_for(url))
    if args.replace and index_dir.is_dir():
        for path in index_dir.iterdir():
            path.unlink()
    prefix = args.out_prefix or str(
        (db_file.parent if db_file else bench_dir) / f"seed{label}"
    )
    Path(prefix).parent.mkdir(parents=True, exist_ok=True)

    app = make_app(url, str(index_dir))
    with app.app_context():
        db.create_all()
        if db.session.scalar(select(func.count()).select_from(Post)):
            sys.exit(f"{url} already holds posts; seed an empty database (--replace)")
        services_seed.fast_sqlite_writes()
        meta = seed_bulk(
            args.users,
            args.questions,
            args.seed,
            n_tags=args.tags,
            distinct_bodies=args.distinct_bodies,
            reindex=not args.no_reindex,
            award=not args.no_badges,
        )
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()

    question_ids, paths = meta.pop("question_ids"), meta.pop("paths")
    Path(f"{prefix}_ids.txt").write_text("".join(f"{i}\n" for i in question_ids))
    Path(f"{prefix}_paths.txt").write_text("".join(f"{p}\n" for p in paths))
    meta["database_url"] = url
    meta["index_dir"] = str(index_dir)
    meta["code_sha"] = services_seed.code_sha()
    if db_file:
        meta["db_bytes"] = db_file.stat().st_size
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    Path(f"{prefix}_meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))
    print(f"wrote {prefix}_meta.json, {prefix}_ids.txt, {prefix}_paths.txt")


if __name__ == "__main__":
    main()
