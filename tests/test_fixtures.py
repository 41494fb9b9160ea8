"""The test fixtures themselves: isolation between clients."""


def test_second_client_is_anonymous(app, auth, client, make_user):
    """A second client does not inherit the first client's login."""
    auth.login(make_user())
    assert client.get("/account/profile").status_code == 200
    other = app.test_client()
    assert other.get("/account/profile").status_code == 302
