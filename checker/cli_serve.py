"""`greencheck serve` (the review portal) and `greencheck users` (its accounts), thin over checker.portal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from checker.cli_support import InputError, _echo, _guarded
from checker.console import printable
from checker.defaults import DEFAULT_MAX_MEMORY_GB, DEFAULT_RULESET, DEFAULT_TIMEOUT_S
from checker.interrupts import Interrupted

PORTAL_EXTRA = "the portal needs its extra packages: pip install 'greencheck[portal]' (from a checkout: -e '.[portal]')"
DATA_HELP = "the portal's data folder: SQLite database and stored files (kept outside any web root)"


def _portal_modules() -> Any:
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise InputError(PORTAL_EXTRA) from None
    from checker.portal import settings

    return settings


def _settings(data: Path, db: str | None, **more: Any) -> Any:
    settings = _portal_modules()
    return settings.PortalSettings(data_dir=data, db_url=db, **more)


def data_options(command: Any) -> Any:
    command = click.option(
        "--db", metavar="URL", help="postgresql://user:password@host/db (default: SQLite in --data)"
    )(command)
    return click.option(
        "--data", type=click.Path(file_okay=False, path_type=Path), default=Path("portal-data"), show_default=True,
        help=DATA_HELP,
    )(command)  # fmt: skip


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0: every interface)")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@data_options
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="checks run at once")
@click.option("--scheduler", metavar="ADDRESS", help="run checks on a Dask cluster (tcp://host:8786, or 'local')")
@click.option("--ruleset", "default_ruleset", default=DEFAULT_RULESET, show_default=True, help="for new projects")
@click.option("--max-upload-mb", type=click.IntRange(1), default=512, show_default=True, help="per upload")
@click.option("--uploads-per-minute", type=click.IntRange(1), default=30, show_default=True, help="per user or token")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="seconds per file")  # fmt: skip
@click.option("--max-memory-gb", type=click.FloatRange(min=0.5), default=DEFAULT_MAX_MEMORY_GB, show_default=True)
@click.option("--secure-cookies", is_flag=True, help="send cookies over HTTPS only (behind a TLS proxy)")
@click.option("--debug", is_flag=True)
def serve(host: str, port: int, data: Path, db: str | None, debug: bool, **options: Any) -> None:
    """Start the review portal: upload, check, compare, waive, sign off (SQLite in --data unless --db)."""
    settings = _guarded(debug, lambda: _settings(data, db, **options))
    from checker.portal.users import user_count
    from checker.portal.web import create_app

    app = _guarded(debug, lambda: create_app(settings))
    users = _guarded(debug, lambda: user_count(settings))
    shown_host = "localhost" if host in ("127.0.0.1", "::1") else host
    _echo(
        f"greencheck portal on http://{shown_host}:{port}/  (data: {settings.data_dir}, database: {_db_name(settings)})"
    )
    _echo(f"CI API: http://{shown_host}:{port}/api/docs")
    if users == 0:
        flags = f" --data {data}" + (" --db URL" if db else "")
        _echo(f"no users yet: create the first admin with  greencheck users add NAME --role admin{flags}")
    import uvicorn

    try:
        uvicorn.run(app, host=host, port=port, log_level="debug" if debug else "info", proxy_headers=True)
    except Interrupted as stopped:  # uvicorn shut down gracefully first, then passed the signal on: a normal stop
        _echo(f"greencheck portal stopped ({stopped}); running checks are queued again at the next start")


def _db_name(settings: Any) -> str:
    url: str = settings.database_url
    return url.split("@", 1)[-1] if "@" in url else url  # never print a password


@click.group()
def users() -> None:
    """Create and list the portal's users (applicant, officer, admin)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["applicant", "officer", "admin"]), required=True)
@click.option("--name", "display_name", default="", help="shown on pages and on the review opinion")
@click.option("--org", "organisation", default="", help="the applicant's organisation, or the office")
@click.option("--password-stdin", is_flag=True, help="read the password from the first line of stdin")
@data_options
@click.option("--debug", is_flag=True)
def users_add(
    username: str, role: str, display_name: str, organisation: str, password_stdin: bool, data: Path,
    db: str | None, debug: bool,
) -> None:  # fmt: skip
    """Create a user; the password is asked for twice (or read from stdin), at least 10 characters."""
    settings = _guarded(debug, lambda: _settings(data, db))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    from checker.portal.users import add_user

    _guarded(debug, lambda: add_user(settings, username, password, role, display_name, organisation))
    _echo(f"user {username} ({role}) created")


@users.command("list")
@data_options
@click.option("--debug", is_flag=True)
def users_list(data: Path, db: str | None, debug: bool) -> None:
    """Every user: name, role, display name, organisation."""
    settings = _guarded(debug, lambda: _settings(data, db))
    from checker.portal.users import list_users

    for row in _guarded(debug, lambda: list_users(settings)):
        click.echo("\t".join(printable(field) for field in row))  # tab-separated: each field escaped
