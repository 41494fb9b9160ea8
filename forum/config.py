"""Configuration: defaults, ``FORUM_*`` environment variables, test overrides."""

import os
import re
import secrets
from pathlib import Path

PREFIX = "FORUM_"


def _secret_key(instance_path: Path) -> str:
    """Return FORUM_SECRET_KEY or a key generated once into the instance folder."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _whole_number(env: dict, name: str, default: int) -> int:
    """Return the FORUM_ variable as a whole number, refusing anything else clearly."""
    value = env.get(name, "").strip() or str(default)
    if not value.isascii() or not value.isdigit():
        raise RuntimeError(f"{PREFIX}{name} must be a whole number, not {value!r}.")
    return int(value)


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the configuration from defaults, the environment and overrides."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = {k[len(PREFIX) :]: v for k, v in os.environ.items() if k.startswith(PREFIX)}
    overrides = dict(overrides or {})

    config = {
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{instance / 'forum.db'}"
        ),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SEARCH_INDEX_DIR": env.get("SEARCH_INDEX_DIR", str(instance / "search")),
        # whoosh (embedded, one machine) or postgres (several web nodes).
        "SEARCH_BACKEND": env.get("SEARCH_BACKEND", "whoosh"),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Secure cookies only when the site is served over HTTPS.
        "SESSION_COOKIE_SECURE": env.get("HTTPS", "") == "1",
        "REMEMBER_COOKIE_SECURE": env.get("HTTPS", "") == "1",
        "PREFERRED_URL_SCHEME": "https" if env.get("HTTPS", "") == "1" else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "QUESTIONS_PER_PAGE": 50,
        "PASSWORD_HASH_METHOD": "scrypt",
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        # Votes and reputation (forum/reputation/config.py has the amounts).
        "VOTES_PER_DAY": 40,
        "COMMENT_VOTES_PER_DAY": 30,
        "VOTE_LOCK_MINUTES": 5,
        "REPUTATION_DAILY_CAP": 200,
        "REPUTATION_FLOOR": 1,
        # Ledger reason -> amount, e.g. {"answer upvoted": 5}; the rest keep defaults.
        "REPUTATION_AMOUNTS": {},
        # small, large or auto (scaled by members active in the last 90 days).
        "PRIVILEGE_PROFILE": env.get("PRIVILEGE_PROFILE", "small"),
        # Privilege name -> threshold, overriding the profile, e.g. {"vote_down": 50}.
        "PRIVILEGE_THRESHOLDS": {},
        "PRIVILEGE_ACTIVE_DAYS": 90,
        "PRIVILEGE_ACTIVE_CACHE_SECONDS": 3600,
        # Serial voting: this many votes on one member's posts within these hours.
        "SERIAL_VOTES_MIN": 10,
        "SERIAL_VOTES_HOURS": 24,
        "MICROLEARNS_PER_PAGE": 24,
        # Hosts whose players a microlearn page may embed; empty embeds none.
        "EMBED_PLAYER_HOSTS": env.get("EMBED_PLAYER_HOSTS", ""),
        # Origins that may frame /embed/learn/<key> and read the microlearn API.
        "EMBED_ALLOWED_ORIGINS": env.get("EMBED_ALLOWED_ORIGINS", ""),
        "PASSWORD_RESET_MAX_AGE_MINUTES": 60,
        "PASSWORD_RESET_WINDOW_MINUTES": 60,
        "PASSWORD_RESET_MAX_PER_EMAIL": 5,
        "PASSWORD_RESET_MAX_PER_ADDRESS": 20,
        # Absolute links in mail; unset, a request's own host is used (see README).
        "BASE_URL": env.get("BASE_URL", "").rstrip("/") or None,
        # How many reverse proxies in front of the app set X-Forwarded-For.
        "TRUSTED_PROXIES": _whole_number(env, "TRUSTED_PROXIES", 0),
        "MAIL_URL": env.get("MAIL_URL") or None,
        "MAIL_FROM": env.get("MAIL_FROM", "Knowhow <knowhow@localhost>"),
        "MAIL_DIR": env.get("MAIL_DIR", str(instance / "mail")),
        "MAIL_TIMEOUT_SECONDS": 10,
    }
    if "SECRET_KEY" in env:
        config["SECRET_KEY"] = env["SECRET_KEY"]
    elif "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = _secret_key(instance)
    if "DATABASE_URL" in overrides:
        overrides["SQLALCHEMY_DATABASE_URI"] = overrides.pop("DATABASE_URL")
    if "SEARCH_INDEXER_THREAD" in env:
        config["SEARCH_INDEXER_THREAD"] = env["SEARCH_INDEXER_THREAD"] != "0"
    config.update(overrides)
    # Each web process indexes in a thread; tests drain the outbox themselves.
    config.setdefault("SEARCH_INDEXER_THREAD", not config.get("TESTING", False))
    config["EMBED_PLAYER_HOSTS"] = parse_hosts(config["EMBED_PLAYER_HOSTS"])
    config["EMBED_ALLOWED_ORIGINS"] = parse_origins(config["EMBED_ALLOWED_ORIGINS"])
    return config


_HOST = r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?"


def _split(value) -> list[str]:
    """Split a space- or comma-separated setting, or take a list as it is."""
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    return [item.strip().lower() for item in items if item.strip()]


def parse_hosts(value) -> tuple[str, ...]:
    """Return the player hosts of a setting, refusing anything else clearly."""
    hosts = _split(value)
    for host in hosts:
        if not re.fullmatch(_HOST, host):
            raise RuntimeError(
                f"{PREFIX}EMBED_PLAYER_HOSTS: {host!r} is not a host name "
                "like player.vimeo.com."
            )
    return tuple(dict.fromkeys(hosts))


def parse_origins(value) -> tuple[str, ...]:
    """Return the origins of a setting, refusing anything else clearly."""
    origins = [origin.removesuffix("/") for origin in _split(value)]
    for origin in origins:
        if not re.fullmatch("https?://" + _HOST, origin):
            raise RuntimeError(
                f"{PREFIX}EMBED_ALLOWED_ORIGINS: {origin!r} is not an origin like "
                "https://lms.example.com (a scheme and host only: no path, no *)."
            )
    return tuple(dict.fromkeys(origins))
