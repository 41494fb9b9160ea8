"""Knowhow: a peer Q&A network for workplace learning."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Create and wire the Knowhow application."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from forum.config import load_config

    app.config.update(load_config(app.instance_path, config))
    if proxies := app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Client address and scheme from the last N proxies' headers; the Host
        # header stays as the proxy forwards it (X-Forwarded-Host is not trusted).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from forum.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)

    from forum import errors, web
    from forum.accounts import cli as accounts_cli
    from forum.accounts import views as accounts
    from forum.api import views as api
    from forum.badges import cli as badges_cli
    from forum.badges import triggers as badge_triggers  # noqa: F401 (award events)
    from forum.badges import views as badges
    from forum.demo import cli as demo_cli
    from forum.following import views as following
    from forum.microlearns import cli as microlearns_cli
    from forum.microlearns import views as microlearns
    from forum.notifications import views as notifications
    from forum.posts import views as posts
    from forum.profiles import views as profiles
    from forum.reputation import cli as reputation_cli
    from forum.reputation import views as reputation
    from forum.search import cli as search_cli
    from forum.search import indexer as search_indexer
    from forum.search import views as search
    from forum.site import views as site

    errors.register_error_handlers(app)
    web.init_app(app)
    search_indexer.init_app(app)
    app.register_blueprint(site.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(posts.bp)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(reputation.bp)
    app.register_blueprint(microlearns.bp)
    app.register_blueprint(following.bp)
    app.register_blueprint(badges.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(accounts_cli.users)
    app.cli.add_command(demo_cli.seed_demo)
    app.cli.add_command(reputation_cli.reputation)
    app.cli.add_command(reputation_cli.votes)
    app.cli.add_command(microlearns_cli.microlearns)
    app.cli.add_command(search_cli.search)
    app.cli.add_command(badges_cli.badges)
    return app
