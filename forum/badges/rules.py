"""The badges: what each is for, its class, how often it is earned, its thresholds.

Thresholds are set for a company community of hundreds to thousands of members
(views especially: a popular question inside a company has far fewer readers than
one on the public internet). ``BADGE_THRESHOLDS`` in the app configuration
overrides them key by key, e.g. ``{"popular_question": 50}``.

How often a badge is earned:
- ``ONCE``: once per member (Student, Editor, Enthusiast, ...).
- ``PER_POST``: once per post, as on Stack Overflow, so a member who writes ten
  nice answers holds Nice Answer ten times (Nice/Good/Great Question and Answer,
  Popular/Notable/Famous Question, Enlightened, Guru, Necromancer, Self-Learner).
- ``PER_TAG``: once per tag (the tag badges).

Badges are never taken back: a score that later drops does not undo an award.
"""

from dataclasses import dataclass

from flask import current_app

GOLD, SILVER, BRONZE = "gold", "silver", "bronze"
LEVELS = (GOLD, SILVER, BRONZE)
ONCE, PER_POST, PER_TAG = "once", "post", "tag"

# Default thresholds, by setting name.
THRESHOLDS = {
    "student": 1,
    "teacher": 1,
    "commentator": 10,
    "self_learner": 3,
    "nice_question": 10,
    "good_question": 25,
    "great_question": 100,
    "nice_answer": 10,
    "good_answer": 25,
    "great_answer": 100,
    "popular_question": 100,
    "notable_question": 500,
    "famous_question": 2500,
    "enlightened": 10,
    "guru": 40,
    "necromancer": 5,
    "necromancer_days": 60,
    "enthusiast": 30,
    "fanatic": 100,
    "civic_duty": 300,
    "strunk_white": 80,
    "tag_bronze": 100,
    "tag_silver": 400,
    "tag_gold": 1000,
}


def thresholds() -> dict[str, int]:
    """Return every badge threshold of the current app."""
    overrides = current_app.config.get("BADGE_THRESHOLDS") or {}
    return {name: int(overrides.get(name, value)) for name, value in THRESHOLDS.items()}


@dataclass(frozen=True)
class Badge:
    """A badge: its slug in URLs and the database, name, class and criteria."""

    slug: str
    name: str
    level: str
    per: str
    # What earns it; {names} are filled in from the current thresholds.
    criteria: str

    @property
    def description(self) -> str:
        """Return what earns the badge, with this site's thresholds."""
        return self.criteria.format_map(thresholds())


BADGES = (
    # Bronze: first steps.
    Badge(
        "student",
        "Student",
        BRONZE,
        ONCE,
        "Asked a question with a score of {student:,} or more.",
    ),
    Badge(
        "teacher",
        "Teacher",
        BRONZE,
        ONCE,
        "Answered a question with a score of {teacher:,} or more.",
    ),
    Badge(
        "scholar",
        "Scholar",
        BRONZE,
        ONCE,
        "Asked a question and accepted a colleague's answer.",
    ),
    Badge("editor", "Editor", BRONZE, ONCE, "Edited a post for the first time."),
    Badge("supporter", "Supporter", BRONZE, ONCE, "Cast a first up vote."),
    Badge("critic", "Critic", BRONZE, ONCE, "Cast a first down vote."),
    Badge("commentator", "Commentator", BRONZE, ONCE, "Left {commentator:,} comments."),
    Badge(
        "autobiographer",
        "Autobiographer",
        BRONZE,
        ONCE,
        "Filled in the About section of their profile.",
    ),
    Badge(
        "citizen-patrol",
        "Citizen Patrol",
        BRONZE,
        ONCE,
        "Raised a flag that moderators found helpful.",
    ),
    Badge(
        "self-learner",
        "Self-Learner",
        BRONZE,
        PER_POST,
        "Answered their own question with a score of {self_learner:,} or more.",
    ),
    Badge(
        "nice-question",
        "Nice Question",
        BRONZE,
        PER_POST,
        "Asked a question with a score of {nice_question:,} or more.",
    ),
    Badge(
        "nice-answer",
        "Nice Answer",
        BRONZE,
        PER_POST,
        "Wrote an answer with a score of {nice_answer:,} or more.",
    ),
    Badge(
        "popular-question",
        "Popular Question",
        BRONZE,
        PER_POST,
        "Asked a question viewed {popular_question:,} times.",
    ),
    # Silver: sustained, well-received help.
    Badge(
        "good-question",
        "Good Question",
        SILVER,
        PER_POST,
        "Asked a question with a score of {good_question:,} or more.",
    ),
    Badge(
        "good-answer",
        "Good Answer",
        SILVER,
        PER_POST,
        "Wrote an answer with a score of {good_answer:,} or more.",
    ),
    Badge(
        "notable-question",
        "Notable Question",
        SILVER,
        PER_POST,
        "Asked a question viewed {notable_question:,} times.",
    ),
    Badge(
        "enlightened",
        "Enlightened",
        SILVER,
        PER_POST,
        "Answered a question first, and the answer was accepted with a score of "
        "{enlightened:,} or more.",
    ),
    Badge(
        "guru",
        "Guru",
        SILVER,
        PER_POST,
        "Wrote an accepted answer with a score of {guru:,} or more.",
    ),
    Badge(
        "necromancer",
        "Necromancer",
        SILVER,
        PER_POST,
        "Answered a question {necromancer_days:,} or more days after it was asked, "
        "with a score of {necromancer:,} or more.",
    ),
    Badge(
        "enthusiast",
        "Enthusiast",
        SILVER,
        ONCE,
        "Visited the site {enthusiast:,} days in a row.",
    ),
    Badge("civic-duty", "Civic Duty", SILVER, ONCE, "Voted {civic_duty:,} times."),
    Badge(
        "strunk-white", "Strunk & White", SILVER, ONCE, "Edited {strunk_white:,} posts."
    ),
    # Gold: rare.
    Badge(
        "great-question",
        "Great Question",
        GOLD,
        PER_POST,
        "Asked a question with a score of {great_question:,} or more.",
    ),
    Badge(
        "great-answer",
        "Great Answer",
        GOLD,
        PER_POST,
        "Wrote an answer with a score of {great_answer:,} or more.",
    ),
    Badge(
        "famous-question",
        "Famous Question",
        GOLD,
        PER_POST,
        "Asked a question viewed {famous_question:,} times.",
    ),
    Badge(
        "fanatic", "Fanatic", GOLD, ONCE, "Visited the site {fanatic:,} days in a row."
    ),
    # Tag badges: one of each class per tag.
    Badge(
        "tag-bronze",
        "Bronze tag badge",
        BRONZE,
        PER_TAG,
        "Earned a total score of {tag_bronze:,} on answers in one tag.",
    ),
    Badge(
        "tag-silver",
        "Silver tag badge",
        SILVER,
        PER_TAG,
        "Earned a total score of {tag_silver:,} on answers in one tag.",
    ),
    Badge(
        "tag-gold",
        "Gold tag badge",
        GOLD,
        PER_TAG,
        "Earned a total score of {tag_gold:,} on answers in one tag.",
    ),
)

BY_SLUG = {badge.slug: badge for badge in BADGES}
LEVEL_OF = {badge.slug: badge.level for badge in BADGES}
