"""Account forms: they parse and protect; the services hold the rules."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired


class RegisterForm(FlaskForm):
    """Create an account."""

    display_name = StringField(
        "Display name",
        [InputRequired("Enter the name others will see.")],
        description="How colleagues will see you, 2 to 40 characters.",
    )
    email = EmailField("Work email", [InputRequired("Enter your email address.")])
    password = PasswordField(
        "Password",
        [InputRequired("Choose a password.")],
        description="At least 8 characters; not a common password.",
    )


class LoginForm(FlaskForm):
    """Log in."""

    email = EmailField("Email", [InputRequired("Enter your email address.")])
    password = PasswordField("Password", [InputRequired("Enter your password.")])
    remember = BooleanField("Keep me logged in on this device")


# The password forms leave "required" to the service, which then reports every
# problem at once; a validator here would stop at the first empty field.
REQUIRED = {"required": True}


class ChangePasswordForm(FlaskForm):
    """Change the password, which ends every other session."""

    current_password = PasswordField("Current password", render_kw=REQUIRED)
    new_password = PasswordField(
        "New password",
        render_kw=REQUIRED,
        description="At least 8 characters; not a common password.",
    )


class ForgotPasswordForm(FlaskForm):
    """Ask for a link to choose a new password."""

    email = EmailField("Email", [InputRequired("Enter the email you log in with.")])


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        "New password",
        render_kw=REQUIRED,
        description="At least 8 characters; not a common password.",
    )


class ProfileForm(FlaskForm):
    """Edit the public profile."""

    display_name = StringField("Display name", [InputRequired("Enter a display name.")])
    about = TextAreaField(
        "About you",
        description="Markdown. What you do and what colleagues can ask you about.",
    )
