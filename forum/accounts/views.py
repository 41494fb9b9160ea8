"""Account pages: register, log in and out, password, profile."""

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
from forum.errors import DomainError, RateLimited, ValidationError
from forum.extensions import db, login_manager
from forum.posts import services as posts
from forum.web import apply_errors, client_address, form_status, page_number, safe_next

bp = Blueprint("accounts", __name__)


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
            return redirect(url_for("accounts.profile", user_id=user.id))
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
            return redirect(url_for("accounts.profile", user_id=user.id))
    return render_template("accounts/edit_profile.html", form=form), form_status(form)


@bp.route("/users/<int:user_id>")
@bp.route("/users/<int:user_id>/<slug>")
def profile(user_id: int, slug: str | None = None):
    """Show a member's profile with their questions and answers."""
    user = services.get_user(user_id)
    tab = request.args.get("tab", "questions")
    if tab not in ("questions", "answers"):
        tab = "questions"
    stmt = posts.answers_by(user) if tab == "answers" else posts.questions_by(user)
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    return render_template(
        "accounts/profile.html",
        user=user,
        activity=posts.activity_of(user),
        tab=tab,
        pagination=pagination,
    )


@login_manager.unauthorized_handler
def unauthorized():
    """Send anonymous visitors to log in, keeping any text they were sending."""
    if request.path.startswith("/api/"):
        from forum.errors import error_response

        return error_response(401, "Log in first.", "unauthorized")
    flash("Log in to continue.", "info")
    if request.method == "POST":
        token = services.stash_form(request.path, request.form.to_dict())
        target = url_for_path(request.path, restore=token)
        return redirect(url_for("accounts.login", next=target))
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def recover_expired_form(error):
    """Keep the text of a form whose session expired and send its author back to it."""
    from forum.errors import error_response

    has_text = any(request.form.get(name) for name in services.STASHED_FIELDS)
    if request.path.startswith("/api/") or request.method != "POST" or not has_text:
        return error_response(400, "The form expired. Reload the page and try again.")
    user = current_user._get_current_object() if current_user.is_authenticated else None
    token = services.stash_form(request.path, request.form.to_dict(), user)
    target = url_for_path(request.path, restore=token)
    if user is None:
        flash("Your session expired. Log in and your text will be waiting.", "warning")
        return redirect(url_for("accounts.login", next=target))
    flash(
        "The page had expired, so nothing was sent. Your text is below: send it again.",
        "warning",
    )
    return redirect(target)


def url_for_path(path: str, **args) -> str:
    """Return a site path with query arguments."""
    from urllib.parse import urlencode

    return f"{path}?{urlencode(args)}" if args else path


def restored(path: str) -> dict:
    """Return the stashed text for the form at this path, if the URL names one."""
    token = request.args.get("restore")
    return services.take_stash(token, path) if token else {}
