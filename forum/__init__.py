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

    from forum.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)

    from forum import errors, web
    from forum.accounts import cli as accounts_cli
    from forum.accounts import views as accounts
    from forum.api import views as api
    from forum.demo import cli as demo_cli
    from forum.posts import views as posts
    from forum.profiles import views as profiles
    from forum.site import views as site

    errors.register_error_handlers(app)
    web.init_app(app)
    app.register_blueprint(site.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(posts.bp)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(accounts_cli.users)
    app.cli.add_command(demo_cli.seed_demo)
    return app
