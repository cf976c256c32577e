"""surveyapp: BerAKHLAK self-assessment for ASN."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import Config, config_class


def create_app(config: str | type[Config] | dict | None = None) -> Flask:
    """Build the app. `config` is a config name, a Config class, or overrides on the default."""
    app = Flask(__name__, instance_relative_config=True)
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        cls = config_class(config.get("ENV_NAME"))
    elif isinstance(config, type):
        cls = config
    else:
        cls = config_class(config)
    app.config.update(cls.from_env(Path(app.instance_path)))
    app.config.update(overrides)
    if app.config["PRODUCTION"] and (app.debug or app.config.get("TESTING")):
        from .config import ConfigError

        raise ConfigError("Debug and testing modes are never allowed in production (S14).")

    register_extensions(app)
    register_blueprints(app)
    register_jobs(app)
    from . import errors, i18n, obs, security

    errors.register(app)
    i18n.register(app)
    security.register(app)
    obs.register(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address (login limits, audit, logs) and scheme as the proxy saw them.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    from .cli import register_commands

    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (tables must be known to the metadata)
    from .extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    mail.init_app(app)  # Flask-Mail's Message reads it; the connection is services/mailer's
    limiter.init_app(app)
    login_manager.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .db_sqlite import configure_sqlite, register_request_modes

        with app.app_context():
            configure_sqlite(
                db.engine,
                busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
                strict=app.config["SQLITE_STRICT_WRITES"],
            )
        register_request_modes(app)


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .health import bp as health_bp
    from .hr import bp as hr_bp
    from .jobs import bp as jobs_bp
    from .parsing import IdConverter
    from .survey import bp as survey_bp

    # Every `<int:...>` id: ASCII digits up to the database's integer, or 404 (S37). Set
    # before the blueprints, since a rule takes its converter when it is added.
    app.url_map.converters["int"] = IdConverter

    app.register_blueprint(auth_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(jobs_bp, url_prefix="/jobs")
    app.register_blueprint(health_bp)


def register_jobs(app: Flask) -> None:
    """The kinds of background job, registered here and nowhere else: the web app and every
    RQ worker (which builds its app here too) run the same table."""
    from .services import exports, jobs

    jobs.register_kinds(app, exports.KINDS)
