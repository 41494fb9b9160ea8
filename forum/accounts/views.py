"""Account pages: register, log in and out, passwords and resets, profile settings."""

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from forum.accounts import services
from forum.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from forum.errors import (
    DomainError,
    NotFound,
    RateLimited,
    ValidationError,
    error_response,
)
from forum.extensions import login_manager
from forum.web import (
    apply_errors,
    client_address,
    form_status,
    restored,
    safe_next,
    url_for_path,
)

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    """Load the user a session names, if the session is still valid."""
    return services.load_session_user(session_id)


@bp.before_app_request
def track_last_seen():
    """Record when a logged-in member was last active."""
    if current_user.is_authenticated and request.endpoint != "static":
        services.touch_last_seen(current_user)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.display_name.data, form.email.data, form.password.data
            )
        except DomainError as error:
            apply_errors(form, error)
        else:
            login_user(user)
            flash(f"Welcome to Knowhow, {user.display_name}!", "success")
            return redirect(safe_next(request.args.get("next"), url_for("site.home")))
    return render_template("accounts/register.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, client_address()
            )
        except ValidationError as error:
            apply_errors(form, error)
        except RateLimited as error:
            return _rate_limited("accounts/login.html", form, error)
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("site.home")))
    return render_template("accounts/login.html", form=form), form_status(form)


def _rate_limited(template: str, form, error: RateLimited):
    """Show the form again, what was typed kept, rather than a bare error page."""
    flash(error.message, "warning")
    response = make_response(render_template(template, form=form), error.status)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


@bp.route("/account/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Send a link to choose a new password, without telling who has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data, client_address())
        except ValidationError as error:
            apply_errors(form, error)
        except RateLimited as error:
            return _rate_limited("accounts/forgot_password.html", form, error)
        else:
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
            flash(
                "If an account uses that email, we have sent it a link to choose a "
                f"new password. The link works for {minutes} minutes; if nothing "
                "arrives within a few minutes, check your spam folder.",
                "info",
            )
            return redirect(url_for("accounts.login"))
    page = render_template("accounts/forgot_password.html", form=form)
    return page, form_status(form)


@bp.route("/account/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from a reset link, then log in."""
    try:
        user = services.check_reset_token(token)
    except NotFound as error:
        page = render_template("accounts/reset_invalid.html", message=error.message)
        return _uncached(make_response(page, error.status))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login_user(user)
            flash(
                "Your new password is set and you are logged in. "
                "Any other devices have been logged out.",
                "success",
            )
            return redirect(url_for("site.home"))
    page = render_template(
        "accounts/reset_password.html", form=form, user=user, token=token
    )
    return _uncached(make_response(page, form_status(form)))


def _uncached(response):
    """Keep a page whose URL opens an account out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out of this browser."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("site.home"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session of the current user, on every device."""
    services.log_out_everywhere(current_user._get_current_object())
    logout_user()
    flash("You are logged out on every device.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password and end other sessions."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                current_user._get_current_object(),
                form.current_password.data,
                form.new_password.data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # The token changed, so this session is renewed and every other one ends;
            # a browser that was remembered gets a remember cookie with the new token.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            login_user(user, remember=cookie in request.cookies)
            flash("Password changed. Other devices have been logged out.", "success")
            return redirect(url_for("profiles.profile", user_id=user.id))
    return render_template("accounts/password.html", form=form), form_status(form)


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit the current user's profile."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=None)
    if request.method == "GET":
        form.display_name.data = user.display_name
        form.about.data = user.about_markdown
        for name, value in restored(request.path).items():
            if hasattr(form, name):
                getattr(form, name).data = value
    if form.validate_on_submit():
        try:
            services.update_profile(user, form.display_name.data, form.about.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("Profile saved.", "success")
            return redirect(url_for("profiles.profile", user_id=user.id))
    return render_template("accounts/edit_profile.html", form=form), form_status(form)


@login_manager.unauthorized_handler
def unauthorized():
    """Send anonymous visitors to log in, keeping any text they were sending."""
    if request.path.startswith("/api/"):
        return error_response(401, "Log in first.", "unauthorized")
    flash("Log in to continue.", "info")
    if request.method == "POST":
        token = services.stash_form(request.path, request.form.to_dict())
        target = url_for_path(request.path, restore=token)
        return redirect(url_for("accounts.login", next=target))
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
