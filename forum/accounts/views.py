"""Account pages: register, log in and out, password, profile settings."""

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
    LoginForm,
    ProfileForm,
    RegisterForm,
)
from forum.errors import DomainError, RateLimited, ValidationError, error_response
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
            # Show the form again, email kept, rather than a bare error page.
            flash(error.message, "warning")
            page = render_template("accounts/login.html", form=form)
            response = make_response(page, error.status)
            response.headers["Retry-After"] = str(error.retry_after)
            return response
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("site.home")))
    return render_template("accounts/login.html", form=form), form_status(form)


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
