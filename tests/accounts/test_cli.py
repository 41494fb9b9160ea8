"""The `flask users` commands: create-admin, set-role and reset-password."""

from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db

PASSWORD = "correct horse battery"  # the make_user factory's default


def _user(email: str) -> User | None:
    """Return the stored account with this email, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_create_admin_makes_an_admin_account(runner):
    """`users create-admin EMAIL --password --name` creates an admin with a hash."""
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "boss@example.com",
            "--password",
            "long secret for the admin",
            "--name",
            "Boss",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "boss@example.com is now an admin." in result.output
    admin = _user("boss@example.com")
    assert (admin.display_name, admin.role) == ("Boss", "admin")
    assert admin.password_hash.startswith("scrypt:")
    assert admin.check_password("long secret for the admin")


def test_create_admin_asks_for_the_password(runner):
    """Without --password, create-admin asks for it twice and hides it."""
    secret = "long secret for the admin"
    result = runner.invoke(
        args=["users", "create-admin", "boss@example.com"],
        input=f"{secret}\n{secret}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert secret not in result.output
    admin = _user("boss@example.com")
    assert admin.role == "admin"
    assert admin.display_name == "boss"
    assert admin.check_password(secret)


def test_create_admin_refuses_a_weak_password(runner):
    """create-admin refuses a weak password with a message and a non-zero exit."""
    result = runner.invoke(
        args=["users", "create-admin", "boss@example.com", "--password", "password"]
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert _user("boss@example.com") is None


def test_create_admin_promotes_an_existing_account(runner, make_user):
    """create-admin on an existing email promotes it and keeps its password."""
    make_user(email="pat@example.com", display_name="Pat")
    result = runner.invoke(
        args=["users", "create-admin", "pat@example.com", "--password", "ignored!!"]
    )
    assert result.exit_code == 0, result.output
    pat = _user("pat@example.com")
    assert (pat.display_name, pat.role) == ("Pat", "admin")
    assert pat.check_password(PASSWORD)


def test_set_role_changes_the_role(runner, make_user):
    """`users set-role EMAIL ROLE` gives an account that role."""
    make_user(email="mod@example.com")
    result = runner.invoke(args=["users", "set-role", "MOD@example.com", "moderator"])
    assert result.exit_code == 0, result.output
    assert "mod@example.com is now a moderator." in result.output
    assert _user("mod@example.com").role == "moderator"
    runner.invoke(args=["users", "set-role", "mod@example.com", "member"])
    assert _user("mod@example.com").role == "member"


def test_set_role_refuses_an_unknown_email(runner):
    """set-role on an unknown email exits non-zero and names the email."""
    result = runner.invoke(args=["users", "set-role", "nobody@example.com", "admin"])
    assert result.exit_code == 1
    assert "No account with the email nobody@example.com." in result.output


def test_set_role_refuses_an_unknown_role(runner, make_user):
    """set-role refuses a role other than member, curator, moderator or admin."""
    make_user(email="mod@example.com")
    result = runner.invoke(args=["users", "set-role", "mod@example.com", "owner"])
    assert result.exit_code == 2
    roles = "'member', 'curator', 'moderator', 'admin'"
    assert f"'owner' is not one of {roles}" in result.output
    assert _user("mod@example.com").role == "member"


def test_create_admin_promotes_without_asking_for_a_password(runner, make_user):
    """Promoting an existing account asks for no password."""
    make_user(email="lee@example.com")
    result = runner.invoke(args=["users", "create-admin", "lee@example.com"], input="")
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    assert _user("lee@example.com").role == "admin"


def test_reset_password_prints_a_link_that_works_once(runner, client, make_user):
    """`users reset-password EMAIL` prints a one-time link to choose a new password."""
    make_user(email="pat@example.com")
    result = runner.invoke(args=["users", "reset-password", "PAT@example.com"])
    assert result.exit_code == 0, result.output
    assert "Pass this link on to pat@example.com; it works once" in result.output
    link = result.output.split()[-1]
    prefix = "http://127.0.0.1:5000/account/reset-password/"
    assert link.startswith(prefix)
    path = link.removeprefix("http://127.0.0.1:5000")
    data = {"password": "a fresh start at last"}
    assert client.post(path, data=data).status_code == 302
    assert _user("pat@example.com").check_password("a fresh start at last")
    assert client.post(path, data=data).status_code == 404


def test_reset_password_uses_the_base_url(app, runner, make_user):
    """The printed link starts with FORUM_BASE_URL when it is set."""
    make_user(email="pat@example.com")
    app.config["BASE_URL"] = "https://knowhow.example.com"
    result = runner.invoke(args=["users", "reset-password", "pat@example.com"])
    assert result.exit_code == 0, result.output
    link = result.output.split()[-1]
    assert link.startswith("https://knowhow.example.com/account/reset-password/")


def test_reset_password_refuses_an_unknown_email(runner):
    """reset-password on an unknown email exits non-zero and names the email."""
    result = runner.invoke(args=["users", "reset-password", "nobody@example.com"])
    assert result.exit_code == 1
    assert "No account with the email nobody@example.com." in result.output
