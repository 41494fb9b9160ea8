"""Configuration: defaults, ``FORUM_*`` environment variables, test overrides."""

import os
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
    }
    if "SECRET_KEY" in env:
        config["SECRET_KEY"] = env["SECRET_KEY"]
    elif "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = _secret_key(instance)
    if "DATABASE_URL" in overrides:
        overrides["SQLALCHEMY_DATABASE_URI"] = overrides.pop("DATABASE_URL")
    config.update(overrides)
    return config
