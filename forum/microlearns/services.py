"""Microlearn rules: the catalogue, curating, importing, rating, playlists, reads."""

import csv
import hmac
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import (
    Float,
    Select,
    and_,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from forum.accounts.models import User
from forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum.extensions import db, utcnow
from forum.following.models import Follow
from forum.markup import render_inline
from forum.microlearns import links
from forum.microlearns.cards import CITE_RE
from forum.microlearns.models import (
    ACCURACY_MARKS,
    FORMATS,
    LINK,
    OBSOLETE,
    OUTDATED,
    PRIVATE,
    PUBLIC,
    VERIFIED,
    VISIBILITIES,
    AnswerHealth,
    Microlearn,
    MicrolearnRating,
    Playlist,
    PlaylistItem,
    ProgressMark,
    microlearn_tags,
    new_share_token,
)
from forum.posts.models import ANSWER, QUESTION, Post, Tag, post_tags
from forum.posts.services import TAG_MAX, TAG_RE, parse_tags
from forum.reputation.privileges import can

KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}[a-z0-9]")
# Paths under /learn/ that are pages, not microlearns.
RESERVED_KEYS = frozenset({"new", "outdated", "reviews", "health", "suggest"})
TITLE_MIN, TITLE_MAX = 5, 150
OBJECTIVE_MIN, OBJECTIVE_MAX = 10, 300
URL_MAX = 2000
TEXT_MAX = 200
VERSION_MAX = 40
VERSION_RE = re.compile(r"\d{1,9}(\.\d{1,9}){0,3}|\d{4}-\d{2}-\d{2}")
DURATION_MAX = 24 * 60
TAGS_MAX = 5
REVIEW_MAX = 600
SHORT_MINUTES = 5
# C in the Bayesian average: how many ratings at the site mean every item starts with.
PRIOR_WEIGHT = 5
SORTS = ("newest", "rated", "discussed")
THREAD_SORTS = ("votes", "activity")
MIN_RATINGS = ("3", "4", "4.5")
CURATOR_ROLES = ("curator", "moderator", "admin")

# The fields a microlearn is made of, as forms, CSV headers and JSON keys name them.
FIELDS = (
    "key",
    "title",
    "objective",
    "format",
    "content_url",
    "player_url",
    "duration_minutes",
    "tags",
    "audience",
    "source",
    "updated_on",
    "version",
)
REQUIRED_COLUMNS = ("key", "title", "objective", "format", "content_url")
# Other names an import file may use for a column.
COLUMN_ALIASES = {
    "author": "source",
    "updated": "updated_on",
    "duration": "duration_minutes",
}


# ---- permissions ----


def can_curate(user: User | None) -> bool:
    """Tell whether the user may create, edit, retire and import microlearns.

    Curators, moderators and admins curate. This is the "curate" action that the
    one can() in forum/reputation/privileges.py will take over.
    """
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.role in CURATOR_ROLES
    )


def _require_curator(user: User | None, doing: str) -> None:
    """Raise PermissionDenied unless the user curates."""
    if not can_curate(user):
        raise PermissionDenied(f"Only curators may {doing}.")


# ---- validation ----


def normalize_key(key: str) -> str:
    """Return a key as it is stored: trimmed and lower-case."""
    return (key or "").strip().lower()


def is_key(key: str) -> bool:
    """Tell whether text is a well-formed microlearn key."""
    return KEY_RE.fullmatch(key or "") is not None


def player_hosts() -> tuple[str, ...]:
    """Return the hosts whose players may be embedded, from the configuration."""
    return current_app.config.get("EMBED_PLAYER_HOSTS", ())


def player_allowed(url: str | None) -> bool:
    """Tell whether a player URL may be embedded under the current allow-list."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.netloc or "").lower()
    return parts.scheme == "https" and host in player_hosts()


def _text(value) -> str:
    """Return a form, CSV or JSON value as one line of trimmed text."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _length_problem(text: str, low: int, high: int, what: str) -> str:
    """Return why text's length is out of bounds, or an empty string."""
    if not text and low:
        return f"Add {what}."
    if len(text) < low:
        return f"Use at least {low} characters; you have {len(text)}."
    if len(text) > high:
        return f"Use at most {high:,} characters; you have {len(text):,}."
    return ""


def is_site_path(url: str) -> bool:
    """Tell whether url is a path on this site, like /static/demo/fire-safety.pdf."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(char.isspace() for char in url)
    )


def _url_problem(url: str, what: str, *, site_path_ok: bool = False) -> str:
    """Return why url is not an absolute http(s) address, or an empty string.

    With site_path_ok, a path on this site (content the site itself serves) is
    fine too.
    """
    if len(url) > URL_MAX:
        return f"Use an address of at most {URL_MAX:,} characters."
    if site_path_ok and is_site_path(url):
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        if site_path_ok:
            return (
                f"Give the {what} as a full address starting with https:// or "
                "http://, or as a path on this site starting with /."
            )
        return f"Give the {what} as a full address starting with https:// or http://."
    return ""


def _key_problem(key: str) -> str:
    """Return why key cannot be a microlearn key, or an empty string."""
    if not key:
        return "Add a key, like dementia-care-101."
    if not is_key(key):
        return (
            "Use 2 to 64 lower-case letters, digits and hyphens, "
            "starting and ending with a letter or digit."
        )
    if key in RESERVED_KEYS:
        return f"“{key}” is the name of a page; choose another key."
    return ""


def _tags_problem(names: list[str]) -> str:
    """Return why a list of tag names is not acceptable, or an empty string."""
    if len(names) > TAGS_MAX:
        return f"Use at most {TAGS_MAX} tags."
    for name in names:
        if len(name) > TAG_MAX or not TAG_RE.fullmatch(name):
            return (
                f"Tag “{name[:40]}” may use only lower-case letters, digits and "
                f"+ # . - (at most {TAG_MAX} characters)."
            )
    return ""


def _parse_duration(value, errors: dict) -> int | None:
    """Return the duration in whole minutes, recording a problem in errors."""
    text = _text(value)
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 6:
        minutes = int(text)
        if 1 <= minutes <= DURATION_MAX:
            return minutes
    errors["duration_minutes"] = (
        f"Give the duration as whole minutes from 1 to {DURATION_MAX}."
    )
    return None


def _parse_date(value, errors: dict) -> date | None:
    """Return the updated date, recording a problem in errors."""
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors["updated_on"] = "Give the date as YYYY-MM-DD, like 2024-05-31."
        return None


def _version_problem(version: str) -> str:
    """Return why version is not a number or a date, or an empty string."""
    if not version:
        return ""
    if len(version) <= VERSION_MAX and VERSION_RE.fullmatch(version):
        if "-" not in version:
            return ""
        try:
            date.fromisoformat(version)
            return ""
        except ValueError:
            pass
    return "Give the version as a number like 3 or 2.1, or a date like 2024-05-31."


def _clean(data: dict, *, with_key: bool) -> dict:
    """Return the cleaned fields of a microlearn; raise ValidationError listing all."""
    errors: dict[str, str] = {}
    clean: dict = {}
    if with_key:
        clean["key"] = normalize_key(_text(data.get("key")))
        if problem := _key_problem(clean["key"]):
            errors["key"] = problem
    clean["title"] = _text(data.get("title"))
    clean["objective"] = _text(data.get("objective"))
    for name, low, high, what in (
        ("title", TITLE_MIN, TITLE_MAX, "a title"),
        ("objective", OBJECTIVE_MIN, OBJECTIVE_MAX, "the one learning objective"),
    ):
        if problem := _length_problem(clean[name], low, high, what):
            errors[name] = problem
    clean["format"] = _text(data.get("format")).lower()
    if clean["format"] not in FORMATS:
        errors["format"] = f"Choose one of: {', '.join(FORMATS)}."
    clean["content_url"] = _text(data.get("content_url"))
    if problem := _url_problem(clean["content_url"], "content", site_path_ok=True):
        errors["content_url"] = problem
    clean["player_url"] = _text(data.get("player_url")) or None
    if clean["player_url"]:
        if problem := _url_problem(clean["player_url"], "player"):
            errors["player_url"] = problem
        elif not player_hosts():
            errors["player_url"] = (
                "This site embeds no players (FORUM_EMBED_PLAYER_HOSTS is empty); "
                "leave the player address out."
            )
        elif not player_allowed(clean["player_url"]):
            errors["player_url"] = (
                "Players can be embedded only over https from: "
                f"{', '.join(player_hosts())}."
            )
    clean["duration_minutes"] = _parse_duration(data.get("duration_minutes"), errors)
    tags = data.get("tags")
    tags = [_text(tag) for tag in tags] if isinstance(tags, list) else _text(tags)
    clean["tags"] = sorted(parse_tags(tags))
    if problem := _tags_problem(clean["tags"]):
        errors["tags"] = problem
    for name in ("audience", "source"):
        clean[name] = _text(data.get(name))
        if problem := _length_problem(clean[name], 0, TEXT_MAX, ""):
            errors[name] = problem
    clean["updated_on"] = _parse_date(data.get("updated_on"), errors)
    clean["version"] = _text(data.get("version"))
    if problem := _version_problem(clean["version"]):
        errors["version"] = problem
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    return clean


# ---- private helpers shared by the public services ----


def _tags_for(names: list[str], now) -> list[Tag]:
    """Return Tag rows for the names, creating the missing ones."""
    if not names:
        return []
    existing = {
        tag.name: tag
        for tag in db.session.scalars(select(Tag).where(Tag.name.in_(names)))
    }
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name, created_at=now)
            db.session.add(tag)
            existing[name] = tag
        tags.append(tag)
    return sorted(tags, key=lambda tag: tag.name)


def _differs(microlearn: Microlearn, clean: dict) -> bool:
    """Tell whether the cleaned fields would change the microlearn."""
    for name, value in clean.items():
        if name == "key":
            continue
        current = (
            sorted(tag.name for tag in microlearn.tags)
            if name == "tags"
            else getattr(microlearn, name)
        )
        if current != value:
            return True
    return False


def _apply(microlearn: Microlearn, clean: dict, now) -> None:
    """Write cleaned fields to a microlearn."""
    for name, value in clean.items():
        if name == "tags":
            microlearn.tags = _tags_for(value, now)
        else:
            setattr(microlearn, name, value)


def _key_taken(key: str) -> bool:
    """Tell whether a microlearn already has this key."""
    return (
        db.session.scalar(select(Microlearn.id).where(Microlearn.key == key))
        is not None
    )


def _recount_ratings(microlearn: Microlearn) -> None:
    """Recompute a microlearn's cached rating count, sum and accuracy marks."""
    db.session.flush()
    count, total, accurate, outdated = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(MicrolearnRating.value), 0),
            func.count().filter(MicrolearnRating.accuracy == "accurate"),
            func.count().filter(MicrolearnRating.accuracy == OUTDATED),
        ).where(MicrolearnRating.microlearn_id == microlearn.id)
    ).one()
    microlearn.rating_count = count
    microlearn.rating_sum = total
    microlearn.accurate_count = accurate
    microlearn.outdated_count = outdated


# ---- writes ----


def create_microlearn(user: User | None, data: dict, *, now=None) -> Microlearn:
    """Add a microlearn to the catalogue."""
    _require_curator(user, "add microlearns")
    now = now or utcnow()
    clean = _clean(data, with_key=True)
    if _key_taken(clean["key"]):
        raise ValidationError(
            "Please correct the marked fields.",
            {"key": f"Another microlearn already has the key “{clean['key']}”."},
        )
    microlearn = Microlearn(created_by_id=user.id, created_at=now)
    _apply(microlearn, clean, now)
    db.session.add(microlearn)
    try:
        db.session.commit()
    except IntegrityError:
        # Someone added the same key a moment ago.
        db.session.rollback()
        raise ValidationError(
            "Please correct the marked fields.",
            {"key": f"Another microlearn already has the key “{clean['key']}”."},
        ) from None
    return microlearn


def update_microlearn(
    user: User | None,
    microlearn: Microlearn,
    data: dict,
    *,
    publish: bool = False,
    now=None,
) -> Microlearn:
    """Change a microlearn's fields; its key stays, because LMSs link by it.

    With publish, the change is a new version of the content: the version must
    change, and the accepted and top-scored answers of the questions about it are
    marked as maybe out of date (see the content health list). Without it, a
    version may still be corrected quietly.
    """
    _require_curator(user, "edit microlearns")
    now = now or utcnow()
    clean = _clean(data, with_key=False)
    old_version = microlearn.version
    if publish and (problem := _new_version_problem(old_version, clean["version"])):
        raise ValidationError("Please correct the marked fields.", {"version": problem})
    if not _differs(microlearn, clean):
        raise ValidationError(
            "Nothing was changed.", {"title": "Change something before saving."}
        )
    _apply(microlearn, clean, now)
    microlearn.edited_at = now
    if publish:
        _mark_answers(microlearn, old_version, clean["version"], now)
    db.session.commit()
    return microlearn


def retire_microlearn(user: User | None, microlearn: Microlearn, *, now=None):
    """Take a microlearn out of the catalogue; its page and threads stay."""
    _require_curator(user, "retire microlearns")
    if microlearn.retired_at is None:
        microlearn.retired_at = now or utcnow()
        db.session.commit()
    return microlearn


def restore_microlearn(user: User | None, microlearn: Microlearn) -> Microlearn:
    """Put a retired microlearn back into the catalogue."""
    _require_curator(user, "restore microlearns")
    if microlearn.retired_at is not None:
        microlearn.retired_at = None
        db.session.commit()
    return microlearn


def rate_microlearn(
    user: User | None,
    microlearn: Microlearn,
    value,
    accuracy: str = "",
    review: str = "",
    *,
    now=None,
) -> MicrolearnRating:
    """Rate a microlearn 1-5 with an optional accuracy mark and review, or change it."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Log in to rate microlearns.")
    if microlearn.is_retired:
        raise Conflict("This microlearn is retired and takes no new ratings.")
    now = now or utcnow()
    errors = {}
    text = _text(value)
    stars = int(text) if text in ("1", "2", "3", "4", "5") else None
    if stars is None:
        errors["value"] = "Choose from 1 (not useful) to 5 stars (very useful)."
    accuracy = _text(accuracy).lower() or None
    if accuracy is not None and accuracy not in ACCURACY_MARKS:
        errors["accuracy"] = "Choose still accurate, outdated, or no opinion."
    review = (review or "").replace("\r\n", "\n").strip()
    if len(review) > REVIEW_MAX:
        errors["review"] = (
            f"Use at most {REVIEW_MAX} characters; you have {len(review):,}."
        )
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    rating = db.session.scalar(
        select(MicrolearnRating).where(
            MicrolearnRating.microlearn_id == microlearn.id,
            MicrolearnRating.user_id == user.id,
        )
    )
    if rating is None:
        rating = MicrolearnRating(
            microlearn_id=microlearn.id, user_id=user.id, created_at=now
        )
        db.session.add(rating)
    if accuracy != rating.accuracy:
        rating.accuracy_marked_at = now if accuracy else None
    rating.value = stars
    rating.accuracy = accuracy
    if review != rating.review_markdown:
        # A hidden review stays hidden when edited: editing is no way around a curator.
        rating.review_markdown = review
        rating.review_html = render_inline(review) if review else ""
    rating.updated_at = now
    try:
        _recount_ratings(microlearn)
        db.session.commit()
    except IntegrityError:
        # The same member's other tab rated a moment ago.
        db.session.rollback()
        raise Conflict(
            "Your rating was saved from elsewhere just now; try again."
        ) from None
    return rating


def hide_review(user: User | None, rating: MicrolearnRating, *, now=None):
    """Hide a rating's review text; the stars still count."""
    _require_curator(user, "hide reviews")
    if rating.hidden_at is None:
        rating.hidden_at = now or utcnow()
        rating.hidden_by_id = user.id
        db.session.commit()
    return rating


def unhide_review(user: User | None, rating: MicrolearnRating) -> MicrolearnRating:
    """Show a hidden review again."""
    _require_curator(user, "show hidden reviews")
    if rating.hidden_at is not None:
        rating.hidden_at = None
        rating.hidden_by_id = None
        db.session.commit()
    return rating


def resolve_outdated(user: User | None, microlearn: Microlearn, *, now=None):
    """Take a microlearn off the outdated queue until someone marks it again."""
    _require_curator(user, "work the outdated queue")
    microlearn.outdated_reviewed_at = now or utcnow()
    db.session.commit()
    return microlearn


# ---- importing ----


@dataclass
class ImportRow:
    """One row of an import file: where it is and what it says."""

    line: int
    # None when the item is not an object (a JSON number or list, say).
    data: dict | None


@dataclass
class ImportReport:
    """What an import did, and each row it refused with why."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    # Answers marked for a check because a row brought a new version.
    marked: int = 0


def parse_import(text: str, filename: str = "") -> list[ImportRow]:
    """Read the rows of a CSV or JSON file; raise ValidationError if it is neither."""
    text = text.lstrip("\ufeff")
    name = filename.lower()
    if name.endswith(".json") or (
        not name.endswith(".csv") and text.lstrip()[:1] in ("[", "{")
    ):
        return _parse_json(text)
    return _parse_csv(text)


def _parse_json(text: str) -> list[ImportRow]:
    """Read a JSON array of objects, keeping the line each object starts on."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if text[position : position + 1] != "[":
        raise ValidationError("A JSON import file must be one array: [{...}, {...}].")
    rows = []
    position = _skip_space(text, position + 1)
    while text[position : position + 1] != "]":
        line = text.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"Line {error.lineno}: the JSON is broken here ({error.msg})."
            ) from None
        rows.append(ImportRow(line, item if isinstance(item, dict) else None))
        position = _skip_space(text, position)
        if text[position : position + 1] == ",":
            position = _skip_space(text, position + 1)
        elif text[position : position + 1] != "]":
            line = text.count("\n", 0, position) + 1
            raise ValidationError(f"Line {line}: expected “,” or “]” in the JSON.")
    return rows


def _skip_space(text: str, position: int) -> int:
    """Return the position of the next character that is not white space."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _parse_csv(text: str) -> list[ImportRow]:
    """Read a CSV file with a header row, keeping the line each row starts on."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [_column(cell) for cell in cells]
                _check_header(header, start)
                continue
            data = {
                name: cell
                for name, cell in zip(header, cells, strict=False)
                if name or cell.strip()
            }
            extra = cells[len(header) :]
            rows.append(ImportRow(start, None if any(extra) else data))
    except csv.Error as error:
        raise ValidationError(
            f"Line {reader.line_num}: the CSV is broken here ({error})."
        ) from None
    if header is None:
        raise ValidationError("The file is empty: it needs a header row and rows.")
    return rows


def _check_header(header: list[str], line: int) -> None:
    """Raise ValidationError if a CSV header lacks or misnames a column."""
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ValidationError(
            f"Line {line}: the header row lacks the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
        )
    unknown = [name for name in header if name and name not in FIELDS]
    if unknown:
        raise ValidationError(
            f"Line {line}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; the columns are {', '.join(FIELDS)}."
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ValidationError(f"Line {line}: the column {repeated[0]} appears twice.")


def _column(name: str) -> str:
    """Return the field a column header names."""
    name = name.strip().lower().replace(" ", "_")
    return COLUMN_ALIASES.get(name, name)


def import_microlearns(actor: User | None, rows: list[ImportRow], *, now=None):
    """Create or update a microlearn per good row by key; report the bad rows.

    actor is None for the command line, whose operator needs no role; a member
    must curate. Importing the same rows twice changes nothing the second time.
    """
    if actor is not None:
        _require_curator(actor, "import microlearns")
    now = now or utcnow()
    report = ImportReport()
    seen: dict[str, int] = {}
    cleaned: list[tuple[int, dict]] = []
    for row in rows:
        if row.data is None:
            report.problems.append(
                (row.line, "not a microlearn: expected one object or CSV row")
            )
            continue
        data = {COLUMN_ALIASES.get(k, k): v for k, v in row.data.items()}
        unknown = sorted(str(k) for k in data if k not in FIELDS)
        if unknown:
            report.problems.append((row.line, f"unknown field {', '.join(unknown)}"))
            continue
        try:
            clean = _clean(data, with_key=True)
        except ValidationError as error:
            reasons = "; ".join(f"{k}: {v}" for k, v in error.errors.items())
            report.problems.append((row.line, reasons))
            continue
        if clean["key"] in seen:
            other = seen[clean["key"]]
            report.problems.append(
                (row.line, f"key: “{clean['key']}” is also on line {other}")
            )
            continue
        seen[clean["key"]] = row.line
        cleaned.append((row.line, clean))
    existing = {
        microlearn.key: microlearn
        for microlearn in db.session.scalars(
            select(Microlearn)
            .where(Microlearn.key.in_(list(seen)))
            .options(selectinload(Microlearn.tags))
        )
    }
    for _line, clean in cleaned:
        microlearn = existing.get(clean["key"])
        if microlearn is None:
            microlearn = Microlearn(
                created_by_id=actor.id if actor else None, created_at=now
            )
            _apply(microlearn, clean, now)
            db.session.add(microlearn)
            report.created.append(clean["key"])
        elif _differs(microlearn, clean):
            old_version = microlearn.version
            _apply(microlearn, clean, now)
            microlearn.edited_at = now
            report.updated.append(clean["key"])
            # An LMS publishes a new version by sending it; a version that was
            # empty is a first version, not a change of content.
            if old_version and clean["version"] and old_version != clean["version"]:
                report.marked += _mark_answers(
                    microlearn, old_version, clean["version"], now
                )
        else:
            report.unchanged.append(clean["key"])
        # One Tag object per name, also for tags that this import creates.
        db.session.flush()
    db.session.commit()
    return report


# ---- reads ----


def get_microlearn(key: str) -> Microlearn:
    """Return the microlearn with this key, retired or not, or raise NotFound."""
    key = normalize_key(key)
    microlearn = None
    if is_key(key):
        microlearn = db.session.scalar(
            select(Microlearn)
            .where(Microlearn.key == key)
            .options(selectinload(Microlearn.tags))
        )
    if microlearn is None:
        raise NotFound("There is no microlearn with that key.")
    return microlearn


def get_rating(rating_id: int) -> MicrolearnRating:
    """Return a rating or raise NotFound."""
    rating = db.session.get(MicrolearnRating, rating_id)
    if rating is None:
        raise NotFound("That rating does not exist.")
    return rating


def site_mean() -> float:
    """Return the mean of every rating in the catalogue, or 3 when there is none."""
    count, total = db.session.execute(
        select(
            func.coalesce(func.sum(Microlearn.rating_count), 0),
            func.coalesce(func.sum(Microlearn.rating_sum), 0),
        ).where(Microlearn.retired_at.is_(None))
    ).one()
    return total / count if count else 3.0


def bayesian_score(rating_sum: int, rating_count: int, mean: float) -> float:
    """Return (C*m + sum)/(C + n): the mean pulled towards the site mean m."""
    return (PRIOR_WEIGHT * mean + rating_sum) / (PRIOR_WEIGHT + rating_count)


def _bayesian_column(mean: float):
    """Return the Bayesian average as a SQL expression for sorting."""
    return (PRIOR_WEIGHT * mean + cast(Microlearn.rating_sum, Float)) / (
        PRIOR_WEIGHT + Microlearn.rating_count
    )


def catalogue(
    *,
    sort: str = "newest",
    format: str | None = None,
    tag: str | None = None,
    short: bool = False,
    min_rating: float | None = None,
) -> Select:
    """Return the statement for microlearns in the catalogue, filtered and sorted."""
    stmt = (
        select(Microlearn)
        .where(Microlearn.retired_at.is_(None))
        .options(selectinload(Microlearn.tags))
    )
    if format:
        stmt = stmt.where(Microlearn.format == format)
    if tag:
        stmt = stmt.where(Microlearn.tags.any(Tag.name == tag))
    if short:
        stmt = stmt.where(Microlearn.duration_minutes <= SHORT_MINUTES)
    if min_rating:
        stmt = stmt.where(
            Microlearn.rating_count > 0,
            cast(Microlearn.rating_sum, Float)
            >= min_rating * cast(Microlearn.rating_count, Float),
        )
    newest = (Microlearn.created_at.desc(), Microlearn.id.desc())
    if sort == "rated":
        return stmt.order_by(
            _bayesian_column(site_mean()).desc(),
            Microlearn.rating_count.desc(),
            *newest,
        )
    if sort == "discussed":
        return stmt.order_by(Microlearn.question_count.desc(), *newest)
    return stmt.order_by(*newest)


def _is_about(microlearn: Microlearn):
    """Return the condition that a question is linked to the microlearn."""
    return Post.microlearn_id == microlearn.id


def is_about_any(microlearn_ids) -> object:
    """Return the condition that a question is linked to one of the microlearns.

    microlearn_ids is a list or a select() of ids. The start page asks with it for
    new questions about followed microlearns.
    """
    return Post.microlearn_id.in_(microlearn_ids)


def linked_questions(microlearn: Microlearn, sort: str = "votes") -> Select:
    """Return the statement for the visible questions about a microlearn."""
    stmt = select(Post).where(
        Post.type == QUESTION, Post.deleted_at.is_(None), _is_about(microlearn)
    )
    if sort == "activity":
        return stmt.order_by(Post.last_activity_at.desc(), Post.id.desc())
    return stmt.order_by(
        Post.score.desc(),
        Post.answer_count.desc(),
        Post.last_activity_at.desc(),
        Post.id.desc(),
    )


@dataclass
class Thread:
    """A question about a microlearn, as the page, the API and the widget list it."""

    question: Post
    has_accepted: bool


def threads_of(microlearn: Microlearn, sort: str = "votes", limit: int = 10):
    """Return the top threads about a microlearn in two statements."""
    stmt = linked_questions(microlearn, sort).limit(limit)
    questions = list(db.session.scalars(stmt))
    answer_ids = [q.accepted_answer_id for q in questions if q.accepted_answer_id]
    live: set[int] = set()
    if answer_ids:
        answer = aliased(Post)
        live = set(
            db.session.scalars(
                select(answer.id).where(
                    answer.id.in_(answer_ids), answer.deleted_at.is_(None)
                )
            )
        )
    return [Thread(q, q.accepted_answer_id in live) for q in questions]


def _recount_questions(microlearn: Microlearn) -> None:
    """Recompute how many visible questions are about a microlearn."""
    links.recount_questions(microlearn.id)


def ratings_of(microlearn: Microlearn, viewer: User | None) -> list[MicrolearnRating]:
    """Return the ratings with a review, newest first; hidden ones for curators only."""
    stmt = (
        select(MicrolearnRating)
        .where(
            MicrolearnRating.microlearn_id == microlearn.id,
            MicrolearnRating.review_markdown != "",
        )
        .options(selectinload(MicrolearnRating.user))
        .order_by(MicrolearnRating.updated_at.desc(), MicrolearnRating.id.desc())
    )
    if not can_curate(viewer):
        signed_in = viewer is not None and getattr(viewer, "is_authenticated", False)
        owner = viewer.id if signed_in else 0
        stmt = stmt.where(
            or_(MicrolearnRating.hidden_at.is_(None), MicrolearnRating.user_id == owner)
        )
    return list(db.session.scalars(stmt.limit(50)))


def rating_by(microlearn: Microlearn, user: User | None) -> MicrolearnRating | None:
    """Return the member's own rating of a microlearn, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(MicrolearnRating).where(
            MicrolearnRating.microlearn_id == microlearn.id,
            MicrolearnRating.user_id == user.id,
        )
    )


@dataclass
class OutdatedItem:
    """A microlearn that members marked outdated since a curator last looked."""

    microlearn: Microlearn
    open_marks: int
    latest_mark: datetime
    reviews: list[MicrolearnRating]


def outdated_queue(limit: int = 100) -> list[OutdatedItem]:
    """Return microlearns with open outdated marks, most marks first."""
    is_open = (
        MicrolearnRating.accuracy == OUTDATED,
        or_(
            Microlearn.outdated_reviewed_at.is_(None),
            MicrolearnRating.accuracy_marked_at > Microlearn.outdated_reviewed_at,
        ),
        Microlearn.retired_at.is_(None),
    )
    counted = db.session.execute(
        select(
            Microlearn.id,
            func.count(MicrolearnRating.id),
            func.max(MicrolearnRating.accuracy_marked_at),
        )
        .join(MicrolearnRating, MicrolearnRating.microlearn_id == Microlearn.id)
        .where(*is_open)
        .group_by(Microlearn.id)
        .order_by(
            func.count(MicrolearnRating.id).desc(),
            func.max(MicrolearnRating.accuracy_marked_at).desc(),
        )
        .limit(limit)
    ).all()
    if not counted:
        return []
    ids = [row[0] for row in counted]
    microlearns = {
        m.id: m
        for m in db.session.scalars(select(Microlearn).where(Microlearn.id.in_(ids)))
    }
    reviews: dict[int, list[MicrolearnRating]] = {id_: [] for id_ in ids}
    for rating in db.session.scalars(
        select(MicrolearnRating)
        .join(Microlearn, MicrolearnRating.microlearn_id == Microlearn.id)
        .where(*is_open, Microlearn.id.in_(ids), MicrolearnRating.hidden_at.is_(None))
        .where(MicrolearnRating.review_markdown != "")
        .options(selectinload(MicrolearnRating.user))
        .order_by(MicrolearnRating.accuracy_marked_at.desc())
    ):
        reviews[rating.microlearn_id].append(rating)
    return [
        OutdatedItem(microlearns[id_], count, latest, reviews[id_][:5])
        for id_, count, latest in counted
    ]


def tag_names_in_use() -> list[str]:
    """Return the names of tags that microlearns in the catalogue carry."""
    return list(
        db.session.scalars(
            select(Tag.name)
            .join(microlearn_tags, microlearn_tags.c.tag_id == Tag.id)
            .join(Microlearn, Microlearn.id == microlearn_tags.c.microlearn_id)
            .where(Microlearn.retired_at.is_(None))
            .group_by(Tag.name)
            .order_by(Tag.name)
            .limit(500)
        )
    )


# ---- playlists ----

PLAYLIST_TITLE_MIN, PLAYLIST_TITLE_MAX = 3, 120
PLAYLIST_DESCRIPTION_MAX = 500
NOTE_MAX = 300
PLAYLIST_ITEMS_MAX = 100
PLAYLISTS_MAX = 50
# The post types a playlist holds; "article" joins when articles exist.
PLAYLIST_POST_TYPES = (QUESTION,)
FEATURED_MAX = 6
SIMILAR_MAX = 5
# How much of a member's own asking and answering tells their interests.
RECENT_POSTS_FOR_INTERESTS = 200
UP, DOWN = "up", "down"
TOKEN_MAX = 32
PLAYLIST_NOT_FOUND = "That playlist does not exist, or it is not shared with you."


def _signed_in(user: User | None) -> bool:
    """Tell whether user is a logged-in member."""
    return user is not None and getattr(user, "is_authenticated", False)


def _require_member(user: User | None, doing: str) -> None:
    """Raise PermissionDenied unless a member is logged in."""
    if not _signed_in(user):
        raise PermissionDenied(f"Log in to {doing}.")


def owns_playlist(user: User | None, playlist: Playlist) -> bool:
    """Tell whether the user owns the playlist."""
    return _signed_in(user) and playlist.owner_id == user.id


def _require_owner(user: User | None, playlist: Playlist, doing: str) -> None:
    """Raise PermissionDenied unless the user owns the playlist."""
    if not owns_playlist(user, playlist):
        raise PermissionDenied(f"Only the playlist's owner may {doing}.")


def _token_matches(token: str | None, playlist: Playlist) -> bool:
    """Tell whether a token is the playlist's share token, in constant time."""
    if not token or len(token) > TOKEN_MAX:
        return False
    return hmac.compare_digest(token.encode(), playlist.share_token.encode())


def can_view_playlist(
    user: User | None, playlist: Playlist, token: str | None = None
) -> bool:
    """Tell whether the user may see a playlist.

    The owner always may; anyone may see a public one; a playlist shared by link
    needs its token; a private one is the owner's alone.
    """
    if owns_playlist(user, playlist) or playlist.visibility == PUBLIC:
        return True
    return playlist.visibility == LINK and _token_matches(token, playlist)


def _require_view(user: User | None, playlist: Playlist, token: str | None) -> None:
    """Raise NotFound, as if it did not exist, unless the user may see it."""
    if not can_view_playlist(user, playlist, token):
        raise NotFound(PLAYLIST_NOT_FOUND)


def _one_line(text) -> str:
    """Return text with its white space collapsed to single spaces."""
    return " ".join(str(text or "").split())


def _playlist_problems(title: str, description: str, visibility: str) -> dict:
    """Return the problems with a playlist's fields by field name."""
    errors = {}
    if problem := _length_problem(
        title, PLAYLIST_TITLE_MIN, PLAYLIST_TITLE_MAX, "a title"
    ):
        errors["title"] = problem
    if problem := _length_problem(description, 0, PLAYLIST_DESCRIPTION_MAX, ""):
        errors["description"] = problem
    if visibility not in VISIBILITIES:
        errors["visibility"] = "Choose private, shared by link, or public."
    return errors


def _note_problem(note: str) -> str:
    """Return why a note is too long, or an empty string."""
    return _length_problem(note, 0, NOTE_MAX, "")


def _check_target(microlearn: Microlearn | None, post: Post | None) -> None:
    """Raise unless exactly one target is given and a playlist may take it."""
    if (microlearn is None) == (post is None):
        raise ValueError("give a microlearn or a post, not both or neither")
    if microlearn is not None and microlearn.is_retired:
        raise Conflict("That microlearn is retired, so it cannot join a playlist.")
    if post is not None and (post.type not in PLAYLIST_POST_TYPES or post.is_deleted):
        raise NotFound("That question does not exist or was deleted.")


def _check_playlist_room(owner: User) -> None:
    """Raise Conflict when the member has as many playlists as allowed."""
    count = db.session.scalar(
        select(func.count()).select_from(Playlist).where(Playlist.owner_id == owner.id)
    )
    if count >= PLAYLISTS_MAX:
        raise Conflict(
            f"You have {PLAYLISTS_MAX} playlists, the most allowed. "
            "Delete one you no longer use first."
        )


def _new_playlist(owner: User, title, description, visibility, now) -> Playlist:
    """Add a playlist to the session."""
    playlist = Playlist(
        owner_id=owner.id,
        title=title,
        description=description,
        visibility=visibility,
        created_at=now,
        updated_at=now,
    )
    db.session.add(playlist)
    return playlist


def _append_item(
    playlist: Playlist, microlearn: Microlearn | None, post: Post | None, note, now
) -> PlaylistItem:
    """Put a target at the end of a playlist, refusing duplicates and overflow."""
    db.session.flush()
    same = (
        PlaylistItem.microlearn_id == microlearn.id
        if microlearn is not None
        else PlaylistItem.post_id == post.id
    )
    count, last, duplicate = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.max(PlaylistItem.position), 0),
            func.count().filter(same),
        ).where(PlaylistItem.playlist_id == playlist.id)
    ).one()
    if duplicate:
        raise Conflict(f"It is already in “{playlist.title}”.")
    if count >= PLAYLIST_ITEMS_MAX:
        raise Conflict(
            f"“{playlist.title}” has {PLAYLIST_ITEMS_MAX} items, the most allowed."
        )
    item = PlaylistItem(
        playlist_id=playlist.id,
        position=last + 1,
        microlearn_id=microlearn.id if microlearn is not None else None,
        post_id=post.id if post is not None else None,
        note=note,
        added_at=now,
    )
    db.session.add(item)
    playlist.item_count = count + 1
    playlist.updated_at = now
    return item


def _commit_item(playlist: Playlist) -> None:
    """Commit a new item; a duplicate that slipped in concurrently is a Conflict."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"It is already in “{playlist.title}”.") from None


def create_playlist(
    owner: User | None,
    title: str,
    description: str = "",
    visibility: str = PRIVATE,
    *,
    now=None,
) -> Playlist:
    """Start an empty playlist."""
    _require_member(owner, "make playlists")
    now = now or utcnow()
    title, description = _one_line(title), (description or "").strip()
    if errors := _playlist_problems(title, description, visibility):
        raise ValidationError("Please correct the marked fields.", errors)
    _check_playlist_room(owner)
    playlist = _new_playlist(owner, title, description, visibility, now)
    db.session.commit()
    return playlist


def update_playlist(
    user: User | None,
    playlist: Playlist,
    title: str,
    description: str,
    visibility: str,
    *,
    now=None,
) -> Playlist:
    """Change a playlist's title, description and visibility.

    A playlist that stops being public stops being featured.
    """
    _require_owner(user, playlist, "edit it")
    title, description = _one_line(title), (description or "").strip()
    if errors := _playlist_problems(title, description, visibility):
        raise ValidationError("Please correct the marked fields.", errors)
    playlist.title = title
    playlist.description = description
    playlist.visibility = visibility
    if visibility != PUBLIC:
        playlist.featured_at = None
        playlist.featured_by_id = None
    playlist.updated_at = now or utcnow()
    db.session.commit()
    return playlist


def delete_playlist(user: User | None, playlist: Playlist) -> None:
    """Delete a playlist with its items; follows of it go with it."""
    if not (owns_playlist(user, playlist) or (_signed_in(user) and user.is_moderator)):
        raise PermissionDenied("Only the playlist's owner may delete it.")
    # The database deletes its items, and follows of it, by ON DELETE CASCADE.
    db.session.delete(playlist)
    db.session.commit()


def renew_share_link(user: User | None, playlist: Playlist) -> Playlist:
    """Give the playlist a new share link; the old one stops working.

    Members who followed it through the old link stop following it, as anyone
    else holding the old link loses it.
    """
    _require_owner(user, playlist, "change its link")
    playlist.share_token = new_share_token()
    db.session.execute(
        delete(Follow).where(
            Follow.playlist_id == playlist.id, Follow.user_id != playlist.owner_id
        )
    )
    db.session.commit()
    return playlist


def add_to_playlist(
    user: User | None,
    playlist: Playlist,
    *,
    microlearn: Microlearn | None = None,
    post: Post | None = None,
    note: str = "",
    now=None,
) -> PlaylistItem:
    """Add a microlearn or a question to the end of one of my playlists."""
    _require_owner(user, playlist, "add to it")
    now = now or utcnow()
    note = _one_line(note)
    if problem := _note_problem(note):
        raise ValidationError("Please correct the marked fields.", {"note": problem})
    _check_target(microlearn, post)
    item = _append_item(playlist, microlearn, post, note, now)
    _commit_item(playlist)
    return item


def add_to_new_playlist(
    user: User | None,
    title: str,
    *,
    microlearn: Microlearn | None = None,
    post: Post | None = None,
    note: str = "",
    now=None,
) -> PlaylistItem:
    """Start a private playlist with a microlearn or a question as its first item."""
    _require_member(user, "make playlists")
    now = now or utcnow()
    title, note = _one_line(title), _one_line(note)
    errors = {}
    if problem := _length_problem(
        title, PLAYLIST_TITLE_MIN, PLAYLIST_TITLE_MAX, "a name for the new playlist"
    ):
        errors["title"] = problem
    if problem := _note_problem(note):
        errors["note"] = problem
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    _check_target(microlearn, post)
    _check_playlist_room(user)
    playlist = _new_playlist(user, title, "", PRIVATE, now)
    item = _append_item(playlist, microlearn, post, note, now)
    _commit_item(playlist)
    return item


def _ordered_items(playlist: Playlist) -> list[PlaylistItem]:
    """Return a playlist's items in their order."""
    return list(
        db.session.scalars(
            select(PlaylistItem)
            .where(PlaylistItem.playlist_id == playlist.id)
            .order_by(PlaylistItem.position, PlaylistItem.id)
        )
    )


def remove_playlist_item(user: User | None, item: PlaylistItem, *, now=None) -> None:
    """Take an item out of its playlist."""
    playlist = item.playlist
    _require_owner(user, playlist, "remove items")
    db.session.delete(item)
    db.session.flush()
    playlist.item_count = db.session.scalar(
        select(func.count())
        .select_from(PlaylistItem)
        .where(PlaylistItem.playlist_id == playlist.id)
    )
    playlist.updated_at = now or utcnow()
    db.session.commit()


def move_playlist_item(user: User | None, item: PlaylistItem, direction: str) -> None:
    """Move an item one place up or down; at either end nothing changes.

    Positions are renumbered 1..n, which also mends ties left by two additions
    at the same moment.
    """
    playlist = item.playlist
    _require_owner(user, playlist, "reorder it")
    if direction not in (UP, DOWN):
        raise ValidationError("Move an item up or down.")
    items = _ordered_items(playlist)
    index = items.index(item)
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.commit()


def edit_item_note(user: User | None, item: PlaylistItem, note: str) -> PlaylistItem:
    """Change or clear the note on an item."""
    _require_owner(user, item.playlist, "write notes in it")
    note = _one_line(note)
    if problem := _note_problem(note):
        raise ValidationError("Please correct the marked fields.", {"note": problem})
    item.note = note
    db.session.commit()
    return item


def copy_playlist(
    user: User | None, playlist: Playlist, *, token: str | None = None, now=None
) -> Playlist:
    """Make a private copy of a playlist I can see, with the same items and notes."""
    _require_member(user, "copy playlists")
    _require_view(user, playlist, token)
    now = now or utcnow()
    _check_playlist_room(user)
    title = playlist.title
    if owns_playlist(user, playlist):
        # Two playlists of mine with one name would be hard to tell apart.
        title = f"{title[: PLAYLIST_TITLE_MAX - 7]} (copy)"
    copy = _new_playlist(user, title, playlist.description, PRIVATE, now)
    copy.copied_from_id = playlist.id
    db.session.flush()
    items = _ordered_items(playlist)
    for position, item in enumerate(items, start=1):
        db.session.add(
            PlaylistItem(
                playlist_id=copy.id,
                position=position,
                microlearn_id=item.microlearn_id,
                post_id=item.post_id,
                note=item.note,
                added_at=now,
            )
        )
    copy.item_count = len(items)
    db.session.commit()
    return copy


def mark_item_done(
    user: User | None,
    item: PlaylistItem,
    done: bool,
    *,
    token: str | None = None,
    now=None,
) -> None:
    """Mark or unmark an item done for this learner, at their own request."""
    _require_member(user, "keep track of your progress")
    _require_view(user, item.playlist, token)
    target = (
        ProgressMark.microlearn_id == item.microlearn_id
        if item.microlearn_id is not None
        else ProgressMark.post_id == item.post_id
    )
    mark = db.session.scalar(
        select(ProgressMark).where(ProgressMark.user_id == user.id, target)
    )
    if done and mark is None:
        db.session.add(
            ProgressMark(
                user_id=user.id,
                microlearn_id=item.microlearn_id,
                post_id=item.post_id,
                done_at=now or utcnow(),
            )
        )
    elif not done and mark is not None:
        db.session.delete(mark)
    try:
        db.session.commit()
    except IntegrityError:
        # The same learner marked it done a moment ago in another tab.
        db.session.rollback()


def feature_playlist(user: User | None, playlist: Playlist, *, now=None) -> Playlist:
    """Feature a public playlist on /learn."""
    _require_curator(user, "feature playlists")
    if playlist.visibility != PUBLIC:
        raise Conflict("Only public playlists can be featured.")
    if playlist.featured_at is None:
        playlist.featured_at = now or utcnow()
        playlist.featured_by_id = user.id
        db.session.commit()
    return playlist


def unfeature_playlist(user: User | None, playlist: Playlist) -> Playlist:
    """Stop featuring a playlist on /learn."""
    _require_curator(user, "feature playlists")
    if playlist.featured_at is not None:
        playlist.featured_at = None
        playlist.featured_by_id = None
        db.session.commit()
    return playlist


# ---- playlist reads ----


def get_playlist(
    playlist_id: int, viewer: User | None, token: str | None = None
) -> Playlist:
    """Return a playlist the viewer may see, or raise NotFound."""
    playlist = db.session.scalar(
        select(Playlist)
        .where(Playlist.id == playlist_id)
        .options(joinedload(Playlist.owner))
    )
    if playlist is None:
        raise NotFound(PLAYLIST_NOT_FOUND)
    _require_view(viewer, playlist, token)
    return playlist


def get_shared_playlist(token: str, viewer: User | None) -> Playlist:
    """Return the playlist a share link names, while it is shared, or raise NotFound."""
    playlist = None
    if token and len(token) <= TOKEN_MAX:
        playlist = db.session.scalar(
            select(Playlist)
            .where(Playlist.share_token == token)
            .options(joinedload(Playlist.owner))
        )
    if playlist is None:
        raise NotFound(PLAYLIST_NOT_FOUND)
    _require_view(viewer, playlist, token)
    return playlist


def get_playlist_item(playlist: Playlist, item_id: int) -> PlaylistItem:
    """Return an item of this playlist, or raise NotFound."""
    item = db.session.get(PlaylistItem, item_id)
    if item is None or item.playlist_id != playlist.id:
        raise NotFound("That item is not in the playlist any more.")
    return item


def _done_condition(user_id: int):
    """Return the join condition of a learner's marks onto playlist items."""
    return and_(
        ProgressMark.user_id == user_id,
        or_(
            ProgressMark.microlearn_id == PlaylistItem.microlearn_id,
            ProgressMark.post_id == PlaylistItem.post_id,
        ),
    )


@dataclass
class PlaylistPage:
    """A playlist with its items and, for a logged-in viewer, what they marked done."""

    playlist: Playlist
    items: list[PlaylistItem]
    done: set[int] = field(default_factory=set)
    copied_from: Playlist | None = None

    @property
    def done_count(self) -> int:
        """Return how many of the items the viewer marked done."""
        return len(self.done)


def load_playlist_page(
    playlist: Playlist, viewer: User | None, token: str | None = None
) -> PlaylistPage:
    """Load a playlist's items, the viewer's progress and its origin."""
    items = list(
        db.session.scalars(
            select(PlaylistItem)
            .where(PlaylistItem.playlist_id == playlist.id)
            .options(joinedload(PlaylistItem.microlearn), joinedload(PlaylistItem.post))
            .order_by(PlaylistItem.position, PlaylistItem.id)
        )
    )
    done: set[int] = set()
    if _signed_in(viewer) and items:
        done = set(
            db.session.scalars(
                select(PlaylistItem.id)
                .join(ProgressMark, _done_condition(viewer.id))
                .where(PlaylistItem.playlist_id == playlist.id)
            )
        )
    copied_from = None
    if playlist.copied_from_id is not None:
        origin = db.session.get(Playlist, playlist.copied_from_id)
        # Name the original only where the viewer could open it without a token.
        if origin is not None and can_view_playlist(viewer, origin):
            copied_from = origin
    return PlaylistPage(playlist, items, done, copied_from)


def _progress_subquery(user_id: int):
    """Return (playlist_id, done) rows: how many items of each the learner did."""
    return (
        select(
            PlaylistItem.playlist_id.label("playlist_id"),
            func.count(ProgressMark.id).label("done"),
        )
        .join(ProgressMark, _done_condition(user_id))
        .group_by(PlaylistItem.playlist_id)
        .subquery()
    )


def my_playlists(user: User | None) -> list[Playlist]:
    """Return the member's own playlists, most recently changed first."""
    if not _signed_in(user):
        return []
    return list(
        db.session.scalars(
            select(Playlist)
            .where(Playlist.owner_id == user.id)
            .order_by(Playlist.updated_at.desc(), Playlist.id.desc())
            .limit(PLAYLISTS_MAX)
        )
    )


def playlists_with_progress(user: User) -> list[tuple[Playlist, int]]:
    """Return my playlists and the visible ones I follow, each with my done count."""
    progress = _progress_subquery(user.id)
    followed = select(Follow.playlist_id).where(
        Follow.user_id == user.id, Follow.playlist_id.is_not(None)
    )
    rows = db.session.execute(
        select(Playlist, func.coalesce(progress.c.done, 0))
        .outerjoin(progress, progress.c.playlist_id == Playlist.id)
        .where(
            or_(
                Playlist.owner_id == user.id,
                and_(Playlist.id.in_(followed), Playlist.visibility != PRIVATE),
            )
        )
        .options(joinedload(Playlist.owner))
        .order_by(Playlist.updated_at.desc(), Playlist.id.desc())
        .limit(2 * PLAYLISTS_MAX)
    )
    return [(playlist, done) for playlist, done in rows]


def public_playlists() -> Select:
    """Return the statement for public playlists with items, recently changed first."""
    return (
        select(Playlist)
        .where(Playlist.visibility == PUBLIC, Playlist.item_count > 0)
        .options(joinedload(Playlist.owner))
        .order_by(Playlist.updated_at.desc(), Playlist.id.desc())
    )


def featured_playlists(limit: int = FEATURED_MAX) -> list[Playlist]:
    """Return the playlists curators feature, most recently featured first."""
    return list(
        db.session.scalars(
            select(Playlist)
            .where(Playlist.visibility == PUBLIC, Playlist.featured_at.is_not(None))
            .options(joinedload(Playlist.owner))
            .order_by(Playlist.featured_at.desc(), Playlist.id.desc())
            .limit(limit)
        )
    )


def similar_playlists(
    user: User | None, limit: int = SIMILAR_MAX, exclude: tuple[int, ...] = ()
) -> list[tuple[Playlist, int]]:
    """Return others' public playlists sharing most tags with my interests.

    My interests are the tags I follow and the tags of the questions I asked or
    answered (my latest posts only, so the statement stays bounded); a playlist's
    tags are those of its microlearns and questions. Playlists I follow and those
    in exclude (shown elsewhere on the page) are left out. One statement; nothing
    for visitors, and nothing for members without any of those signals.
    """
    if not _signed_in(user):
        return []
    recent = (
        select(Post.id, Post.type, Post.parent_id)
        .where(Post.author_id == user.id, Post.deleted_at.is_(None))
        .order_by(Post.created_at.desc())
        .limit(RECENT_POSTS_FOR_INTERESTS)
        .subquery()
    )
    question_id = case(
        (recent.c.type == QUESTION, recent.c.id), else_=recent.c.parent_id
    )
    interests = union(
        select(Follow.tag_id.label("tag_id")).where(
            Follow.user_id == user.id, Follow.tag_id.is_not(None)
        ),
        select(post_tags.c.tag_id).join(recent, post_tags.c.post_id == question_id),
    ).cte("interests")
    tag_ids = select(interests.c.tag_id)
    playlist_tags = union(
        select(
            PlaylistItem.playlist_id.label("playlist_id"),
            microlearn_tags.c.tag_id.label("tag_id"),
        )
        .join(
            microlearn_tags,
            microlearn_tags.c.microlearn_id == PlaylistItem.microlearn_id,
        )
        .where(microlearn_tags.c.tag_id.in_(tag_ids)),
        select(PlaylistItem.playlist_id, post_tags.c.tag_id)
        .join(post_tags, post_tags.c.post_id == PlaylistItem.post_id)
        .where(post_tags.c.tag_id.in_(tag_ids)),
    ).subquery()
    common = (
        select(playlist_tags.c.playlist_id, func.count().label("common"))
        .group_by(playlist_tags.c.playlist_id)
        .subquery()
    )
    followed = select(Follow.playlist_id).where(
        Follow.user_id == user.id, Follow.playlist_id.is_not(None)
    )
    rows = db.session.execute(
        select(Playlist, common.c.common)
        .join(common, common.c.playlist_id == Playlist.id)
        .where(
            Playlist.visibility == PUBLIC,
            Playlist.owner_id != user.id,
            Playlist.id.not_in(followed),
            Playlist.id.not_in(list(exclude)),
        )
        .options(joinedload(Playlist.owner))
        .order_by(
            common.c.common.desc(),
            Playlist.item_count.desc(),
            Playlist.updated_at.desc(),
            Playlist.id.desc(),
        )
        .limit(limit)
    )
    return [(playlist, common_tags) for playlist, common_tags in rows]


# ---- questions about microlearns: suggestions and citations ----

SUGGEST_MAX = 8
SUGGEST_QUERY_MAX = 100
RELATED_MAX = 3
# At most this many words of a question's title are matched against microlearns.
RELATED_WORDS_MAX = 6
RELATED_WORD_MIN = 4
_WORD_RE = re.compile(r"[a-z0-9]+")
# Words too common in questions to tell what one is about.
_STOPWORDS = frozenset(
    """
    about after again also anyone anything been before being best cannot could
    does doing done from have having help here into just know like make many
    more most much need needs other should some still than that their them then
    there these they thing things this those through what when where which while
    with without would your yours
    """.split()
)


def _like_escape(text: str) -> str:
    """Escape LIKE's wildcards in text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest_microlearns(text: str, limit: int = SUGGEST_MAX) -> list[Microlearn]:
    """Return catalogue items whose key starts with, or title contains, the text.

    Feeds the autocomplete of the ask form's microlearn field. Keys that start
    with the text come first, then the most discussed.
    """
    text = " ".join((text or "").split()).lower()[:SUGGEST_QUERY_MAX]
    if not text:
        return []
    pattern = _like_escape(text)
    starts = Microlearn.key.like(f"{pattern}%", escape="\\")
    return list(
        db.session.scalars(
            select(Microlearn)
            .where(
                Microlearn.retired_at.is_(None),
                or_(
                    starts,
                    func.lower(Microlearn.title).like(f"%{pattern}%", escape="\\"),
                ),
            )
            .order_by(
                case((starts, 0), else_=1),
                Microlearn.question_count.desc(),
                Microlearn.title,
            )
            .limit(limit)
        )
    )


def _title_words(title: str) -> list[str]:
    """Return the words of a title that may tell what it is about."""
    words = []
    for word in _WORD_RE.findall((title or "").lower()):
        if len(word) >= RELATED_WORD_MIN and word not in _STOPWORDS:
            if word not in words:
                words.append(word)
    return words[:RELATED_WORDS_MAX]


def related_microlearns(question: Post, limit: int = RELATED_MAX) -> list[Microlearn]:
    """Return catalogue items that match a question's tags and title, best first.

    An item needs two signals: a tag and a title word in common, two tags, or
    two title words; a question that matches nothing gets nothing. One bounded
    statement.
    """
    tag_ids = [tag.id for tag in question.tags]
    words = _title_words(question.title)
    if not tag_ids and not words:
        return []
    shared = (
        select(func.count())
        .select_from(microlearn_tags)
        .where(
            microlearn_tags.c.microlearn_id == Microlearn.id,
            microlearn_tags.c.tag_id.in_(tag_ids or [0]),
        )
        .scalar_subquery()
    )
    text = func.lower(Microlearn.title + " " + Microlearn.objective)
    hits = [case((text.like(f"%{word}%"), 1), else_=0) for word in words]
    word_hits = sum(hits[1:], hits[0]) if hits else 0
    return list(
        db.session.scalars(
            select(Microlearn)
            .where(
                Microlearn.retired_at.is_(None),
                or_(
                    and_(shared >= 1, word_hits >= 1),
                    shared >= 2,
                    word_hits >= 2,
                ),
            )
            .order_by(
                (2 * shared + word_hits).desc(),
                Microlearn.rating_count.desc(),
                Microlearn.id,
            )
            .limit(limit)
        )
    )


def microlearns_by_keys(keys) -> dict[str, Microlearn]:
    """Return the microlearns with these keys, retired ones too, by key."""
    keys = sorted({normalize_key(key) for key in keys if is_key(normalize_key(key))})
    if not keys:
        return {}
    return {
        microlearn.key: microlearn
        for microlearn in db.session.scalars(
            select(Microlearn).where(Microlearn.key.in_(keys))
        )
    }


def cited_keys(html: str) -> set[str]:
    """Return the keys of the microlearns that a text cites with [[ml:KEY]]."""
    return {match.group(1).lower() for match in CITE_RE.finditer(html or "")}


def microlearn_by_id(microlearn_id: int | None) -> Microlearn | None:
    """Return a microlearn by id, or None."""
    if microlearn_id is None:
        return None
    return db.session.get(Microlearn, microlearn_id)


def linkable_microlearn(text: str | None) -> Microlearn | None:
    """Return the microlearn a question form's field names, retired or not."""
    key = links.key_from_text(text)
    if not is_key(key):
        return None
    return db.session.scalar(select(Microlearn).where(Microlearn.key == key))


# ---- content health ----

HEALTH_MAX = 200
RESOLVED_SHOWN = 20


def version_label(version: str) -> str:
    """Return a version as people say it: v2, v2.1, or the date."""
    if not version:
        return "unversioned"
    return version if "-" in version else f"v{version}"


def _new_version_problem(old: str, new: str) -> str:
    """Return why new cannot be published as the next version after old."""
    if not new:
        return "Give the new version, like 2 or 2024-06-30, to publish it."
    if new == old:
        return (
            f"This is the current version ({version_label(old)}): give the new one, "
            "or untick “Publish as a new version” to save a correction."
        )
    return ""


def _answers_to_check(microlearn: Microlearn) -> list[Post]:
    """Return the accepted and top-scored live answers of a microlearn's questions."""
    question = aliased(Post)
    live_thread = (
        question.microlearn_id == microlearn.id,
        question.type == QUESTION,
        question.deleted_at.is_(None),
        Post.deleted_at.is_(None),
    )
    accepted = (
        select(Post.id)
        .join(question, question.accepted_answer_id == Post.id)
        .where(*live_thread)
    )
    ranked = (
        select(
            Post.id.label("id"),
            func.row_number()
            .over(
                partition_by=Post.parent_id,
                order_by=(Post.score.desc(), Post.created_at, Post.id),
            )
            .label("rank"),
        )
        .join(question, Post.parent_id == question.id)
        .where(*live_thread, Post.type == ANSWER)
        .subquery()
    )
    top = select(ranked.c.id).where(ranked.c.rank == 1)
    return list(
        db.session.scalars(
            select(Post).where(or_(Post.id.in_(accepted), Post.id.in_(top)))
        )
    )


def _still_obsolete(mark: AnswerHealth | None, answer: Post) -> bool:
    """Tell whether a mark says obsolete and nobody edited the answer since."""
    return (
        mark is not None
        and mark.resolution == OBSOLETE
        and not (answer.last_edited_at and answer.last_edited_at > mark.resolved_at)
    )


def _latest_marks(answer_ids, microlearn_id: int) -> dict[int, AnswerHealth]:
    """Return each answer's latest mark about one microlearn."""
    latest: dict[int, AnswerHealth] = {}
    if not answer_ids:
        return latest
    for mark in db.session.scalars(
        select(AnswerHealth)
        .where(
            AnswerHealth.answer_id.in_(list(answer_ids)),
            AnswerHealth.microlearn_id == microlearn_id,
        )
        .order_by(AnswerHealth.id)
    ):
        latest[mark.answer_id] = mark
    return latest


def _mark_answers(microlearn: Microlearn, old: str, new: str, now) -> int:
    """Mark the answers to check after a new version; return how many are open.

    An answer already waiting for a check keeps its mark, which now reaches to
    the new version; an answer marked obsolete and not edited since stays so.
    """
    db.session.flush()
    answers = _answers_to_check(microlearn)
    latest = _latest_marks([answer.id for answer in answers], microlearn.id)
    marked = 0
    for answer in answers:
        mark = latest.get(answer.id)
        if mark is not None and mark.is_open:
            mark.to_version = new
        elif _still_obsolete(mark, answer):
            continue
        else:
            db.session.add(
                AnswerHealth(
                    answer_id=answer.id,
                    microlearn_id=microlearn.id,
                    from_version=old,
                    to_version=new,
                    created_at=now,
                )
            )
        marked += 1
    return marked


def can_check_answer(user: User | None, answer: Post) -> bool:
    """Tell whether the user may verify an answer or mark it obsolete."""
    return can_curate(user) or (_signed_in(user) and can(user, "edit", answer))


def can_see_health(user: User | None) -> bool:
    """Tell whether the user works the content health list: curators and editors."""
    return can_curate(user) or (_signed_in(user) and can(user, "edit_any_post"))


def get_health_mark(mark_id: int) -> AnswerHealth:
    """Return a content-health mark, or raise NotFound."""
    mark = db.session.get(AnswerHealth, mark_id)
    if mark is None:
        raise NotFound("That mark does not exist.")
    return mark


def _resolve_mark(user: User | None, mark: AnswerHealth, resolution: str, now):
    """Record how a mark was dealt with, after checking who may and whether it can."""
    _require_member(user, "check answers")
    answer = mark.answer
    if answer.is_deleted:
        raise NotFound("That answer was deleted.")
    if not can_check_answer(user, answer):
        raise PermissionDenied(
            "Only curators, the answer's author and members who may edit any post "
            "can check answers."
        )
    # An obsolete answer may turn out accurate after all; nothing else reopens.
    if not mark.is_open and not (mark.is_obsolete and resolution == VERIFIED):
        raise Conflict("Someone has dealt with this answer already.")
    mark.resolved_at = now or utcnow()
    mark.resolved_by_id = user.id
    mark.resolution = resolution
    db.session.commit()
    return mark


def verify_answer(user: User | None, mark: AnswerHealth, *, now=None) -> AnswerHealth:
    """Say an answer is still right for the new version; its marker goes."""
    return _resolve_mark(user, mark, VERIFIED, now)


def mark_answer_obsolete(
    user: User | None, mark: AnswerHealth, *, now=None
) -> AnswerHealth:
    """Say an answer describes an earlier version; it shows so until edited."""
    return _resolve_mark(user, mark, OBSOLETE, now)


def health_marks_on(question: Post, answers: list[Post]) -> dict[int, AnswerHealth]:
    """Return the marks the question page shows above answers, by answer id.

    An open mark shows "may be out of date"; an obsolete one shows until the
    answer is edited. Marks about a microlearn the question is no longer about
    do not show.
    """
    if question.microlearn_id is None or not answers:
        return {}
    by_id = {answer.id: answer for answer in answers}
    shown = {}
    for answer_id, mark in _latest_marks(by_id, question.microlearn_id).items():
        if mark.is_open or _still_obsolete(mark, by_id[answer_id]):
            shown[answer_id] = mark
    return shown


def _live_marks(*, loaded: bool = True) -> Select:
    """Return marks on live answers of live questions still about their microlearn.

    loaded brings each mark's microlearn, answer, answer author, question and
    resolver in the same statement.
    """
    question = aliased(Post)
    answer = aliased(Post)
    stmt = (
        select(AnswerHealth)
        .join(answer, AnswerHealth.answer_id == answer.id)
        .join(question, answer.parent_id == question.id)
        .where(
            answer.deleted_at.is_(None),
            question.deleted_at.is_(None),
            question.microlearn_id == AnswerHealth.microlearn_id,
        )
    )
    if not loaded:
        return stmt
    on_answer = contains_eager(AnswerHealth.answer.of_type(answer))
    return stmt.options(
        joinedload(AnswerHealth.microlearn),
        on_answer.joinedload(answer.author),
        on_answer.contains_eager(answer.parent.of_type(question)),
        joinedload(AnswerHealth.resolved_by),
    )


def health_list(microlearn: Microlearn | None = None) -> list[AnswerHealth]:
    """Return the open marks, newest first, maybe of one microlearn only."""
    stmt = _live_marks().where(AnswerHealth.resolved_at.is_(None))
    if microlearn is not None:
        stmt = stmt.where(AnswerHealth.microlearn_id == microlearn.id)
    return list(
        db.session.scalars(
            stmt.order_by(AnswerHealth.created_at.desc(), AnswerHealth.id.desc()).limit(
                HEALTH_MAX
            )
        )
    )


def recently_resolved(microlearn: Microlearn | None = None) -> list[AnswerHealth]:
    """Return the latest marks someone dealt with, and how."""
    stmt = _live_marks().where(AnswerHealth.resolved_at.is_not(None))
    if microlearn is not None:
        stmt = stmt.where(AnswerHealth.microlearn_id == microlearn.id)
    return list(
        db.session.scalars(
            stmt.order_by(
                AnswerHealth.resolved_at.desc(), AnswerHealth.id.desc()
            ).limit(RESOLVED_SHOWN)
        )
    )


def open_health_count(microlearn: Microlearn) -> int:
    """Return how many answers about a microlearn wait for a check."""
    return db.session.scalar(
        select(func.count()).select_from(
            _live_marks(loaded=False)
            .where(
                AnswerHealth.resolved_at.is_(None),
                AnswerHealth.microlearn_id == microlearn.id,
            )
            .subquery()
        )
    )
