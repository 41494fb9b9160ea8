"""The home page, the health check, error pages and response headers."""

from markupsafe import escape
from sqlalchemy.exc import OperationalError

from forum.extensions import db


def test_healthz_reports_ok(client):
    """/healthz answers JSON ok when the database answers."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_failing_database(client, monkeypatch):
    """/healthz answers 503 naming the database when it does not answer."""

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"].startswith("error")


def test_home_welcomes_anonymous_visitors(client, make_question):
    """The home page lists questions and welcomes visitors who are not logged in."""
    question = make_question(title="Where do I find the rota for next week?")
    page = client.get("/").get_data(as_text=True)
    assert "Learn from the people you work with" in page
    assert question.title in page


def test_home_promises_only_what_knowhow_does(client):
    """The welcome lists today's features and nothing that does not exist yet."""
    from forum.site.views import WELCOME_POINTS

    page = client.get("/").get_data(as_text=True)
    for point in WELCOME_POINTS:
        assert str(escape(point)) in page
    for missing in ("Search", "search", "Follow", "follow"):
        assert missing not in page.split('class="welcome"')[1].split("</section>")[0]
    assert "Follow" not in client.get("/tags").get_data(as_text=True)


def test_home_greets_members(client, auth, make_user):
    """A logged-in member sees a greeting instead of the welcome."""
    user = make_user(display_name="Priya")
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Welcome back, Priya" in page
    assert "Learn from the people you work with" not in page


def test_unknown_page_is_a_friendly_404(client):
    """An unknown URL gets a 404 page with a way back."""
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert 'href="/"' in page


def test_unknown_api_url_is_a_json_404(client):
    """An unknown API URL gets a JSON error in the API's shape."""
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_oversized_request_is_413_with_a_clear_page(client):
    """A request body over 1 MB gets 413 and a page saying so."""
    response = client.post(
        "/login", data={"email": "a@example.com", "password": "x" * (1024 * 1024 + 10)}
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.get_data(as_text=True)


def test_unexpected_error_is_a_calm_500(app, client):
    """An unexpected exception shows the friendly 500 page, not a traceback."""

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "kaboom" not in page


def test_pages_send_security_headers(client):
    """Pages forbid framing and sniffing and restrict scripts to our own."""
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
