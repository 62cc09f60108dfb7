"""The `bord` command: serve, migrate, seed the demo school, manage users, API tokens and
display links.

Every command that touches data runs one unit of work (`Database.session()`: commit on success,
roll back on error) and calls the same services as the web app.
"""

import argparse
import functools
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError
from sqlmodel import Session, select

from app.config import Settings, get_settings
from app.db import Database, Publish
from app.errors import BordError, Invalid
from app.models import Board, Role, School, User
from app.realtime.bus import publish_from_outside
from app.services import (
    accounts,
    class_pupils,
    demo,
    retention,
    screens,
    trash,
    trello_export,
    trello_import,
)

ROOT = Path(__file__).resolve().parent.parent
APP_FACTORY = "app.main:served_app"
# A screen only ever sends a line of JSON: refuse anything bigger than this (uvicorn's default
# is 16 MiB).
WS_MAX_SIZE = 64 * 1024
# Connections waiting to be accepted. A school's screens all reconnect at once after a restart;
# uvicorn's default of 2048 overflows then and the kernel drops connections. Capped by the
# kernel's net.core.somaxconn.
BACKLOG = 8192


class CommandError(Exception):
    """A refusal to report on stderr with exit code 1."""


# --- helpers ------------------------------------------------------------------------------------


if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")


def alembic_config(database_url: str) -> "Config":
    """alembic.ini beside the package (a source checkout), else in the working directory."""
    from alembic.config import Config  # imported when needed: `serve` starts faster without

    ini = ROOT / "alembic.ini"
    if not ini.exists():
        ini = Path.cwd() / "alembic.ini"
    if not ini.exists():
        raise CommandError("alembic.ini not found: run bord from the project directory")
    cfg = Config(str(ini))
    cfg.attributes["database_url"] = database_url
    return cfg


def migrate(settings: Settings) -> None:
    from alembic import command

    command.upgrade(alembic_config(settings.database_url), "head")


def servers_publisher(settings: Settings) -> Publish | None:
    """With Redis the running servers' open screens follow a command's changes; without it,
    they catch up from the board's events at their next sync."""
    if not settings.redis_url:
        return None
    return functools.partial(publish_from_outside, settings.redis_url, settings.redis_channel)


def unit_of_work(settings: Settings, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, the same unit of work as a request's."""
    db = Database(settings.database_url, slots=1)
    try:
        with db.session(publish=servers_publisher(settings)) as session:
            return work(session)
    finally:
        db.dispose()


def read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


# --- commands -----------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    if args.workers > 1 and not settings.redis_url:
        raise CommandError(
            f"--workers {args.workers} needs BORD_REDIS_URL: without Redis each worker process "
            "has its own hub, and changes made through one worker would never reach the screens "
            "of another. Set BORD_REDIS_URL (for example redis://127.0.0.1:6379/0) or serve "
            "with one worker."
        )
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    if not args.no_migrate:
        migrate(settings)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        backlog=args.backlog,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        ws_max_size=WS_MAX_SIZE,
        http="httptools",
        loop="uvloop",
        access_log=False,
        log_level=args.log_level,
    )


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> None:
    migrate(settings)
    print("database is up to date")


def cmd_demo(args: argparse.Namespace, settings: Settings) -> None:
    created = unit_of_work(settings, demo.seed)
    if created:
        print(f"Demo school '{demo.NAME}' created.")
    else:
        print(f"Demo school '{demo.NAME}' exists already; nothing changed.")
    print(f"\nDemo logins (password for all: {demo.PASSWORD}):")
    for email, name, what in demo.logins():
        print(f"  {email:<28} {name:<18} {what}")
    print(mail_status(settings))


def mail_status(settings: Settings) -> str:
    if settings.mail_enabled:
        return "\nMail goes out through BORD_SMTP_URL (invitations, password resets)."
    return (
        "\nMail is off (BORD_SMTP_URL is not set): a leader who invites a colleague sees the "
        "invitation link on the page, to copy and pass on; 'forgot password' sends nothing."
    )


def cmd_retention_run(args: argparse.Namespace, settings: Settings) -> None:
    db = Database(settings.database_url, slots=1)
    try:
        count = retention.run(db, publish=servers_publisher(settings))
        purged = trash.purge(db)
        classes = class_pupils.purge_ended_years(db)
    finally:
        db.dispose()
    print(f"{count} closed case(s) anonymised")
    print(f"{purged} item(s) removed from the prullenbak after 30 days")
    print(f"{classes} class(es) lost their pupils' first names after the school year")


def cmd_user_create(args: argparse.Namespace, settings: Settings) -> None:
    if args.role and not args.school:
        raise CommandError("--role needs --school")
    password = read_password()

    def work(session: Session) -> User:
        school = None
        if args.school:
            school = session.exec(select(School).where(School.slug == args.school)).first()
            if school is None:
                raise CommandError(f"no school with slug '{args.school}'")
        if accounts.find_user(session, args.email):
            raise CommandError(f"a user with email {args.email} exists already")
        try:
            return accounts.create_user(
                session,
                email=args.email,
                name=args.name,
                password=password,
                is_admin=args.admin,
                school=school,
                role=Role(args.role) if args.role else None,
            )
        except Invalid as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc

    user = unit_of_work(settings, work)
    print(f"created user {user.email} (id {user.id})")


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> None:
    def work(session: Session) -> str:
        user = accounts.find_user(session, args.email)
        if user is None:
            raise CommandError(f"no user with email {args.email}")
        token, _ = accounts.create_token(session, user, args.label)
        return token

    print(unit_of_work(settings, work))


def cmd_screen_create(args: argparse.Namespace, settings: Settings) -> None:
    if len(args.label) > 120:
        raise CommandError("--label: at most 120 characters")

    def work(session: Session) -> str:
        board = session.get(Board, args.board)
        if board is None:
            raise CommandError(f"no board with id {args.board}")
        token, _ = screens.create_link(session, board, None, args.label)
        return screens.screen_path(token)

    print(unit_of_work(settings, work))


def cmd_import_trello(args: argparse.Namespace, settings: Settings) -> None:
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from None

    def work(session: Session) -> trello_import.Report:
        board = session.get(Board, args.board)
        if board is None:
            raise CommandError(f"no board with id {args.board}")
        export = trello_export.parse(raw)
        mapping = trello_export.parse_mapping(args.mapping, export)
        return trello_import.into(session, board, None, export, mapping)

    try:
        report = unit_of_work(settings, work)
    except Invalid as exc:
        raise CommandError(f"{exc.field}: {exc.message}") from None
    except BordError as exc:
        raise CommandError(exc.detail) from None
    print(", ".join(f"{kind}: {count}" for kind, count in report.imported.items()))
    for card in report.skipped:
        print(f"skipped {card.card} ({card.reason}): {card.name}")


# --- the parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bord",
        description="Bord: a digital improvement board for schools.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="migrate the database and serve the app")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--no-migrate", action="store_true", help="do not run the migrations first")
    serve.add_argument(
        "--backlog",
        type=int,
        default=BACKLOG,
        help=f"connections waiting to be accepted (default {BACKLOG}; capped by "
        "net.core.somaxconn)",
    )
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="server log level (default info; warning keeps one line per screen out of the log)",
    )
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    db_sub.add_parser("upgrade", help="alembic upgrade head").set_defaults(func=cmd_db_upgrade)

    sub.add_parser("demo", help="seed the demo school (safe to run twice)").set_defaults(
        func=cmd_demo
    )

    keep = sub.add_parser("retention", help="care data retention")
    keep_sub = keep.add_subparsers(dest="retention_command", required=True)
    keep_sub.add_parser(
        "run",
        help="anonymise closed cases past their school's retention period and empty the "
        "prullenbak of what was deleted more than 30 days ago; remove the pupils' first names "
        "of class boards whose school year has ended",
    ).set_defaults(func=cmd_retention_run)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    create = user_sub.add_parser(
        "create", help="create a user; the password is read from stdin (one line)"
    )
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--school", metavar="SLUG", help="make the user a member of this school")
    create.add_argument(
        "--role", choices=[r.value for r in Role], help="role in the school (default teacher)"
    )
    create.add_argument("--admin", action="store_true", help="administrator of the installation")
    create.set_defaults(func=cmd_user_create)

    token = sub.add_parser("token", help="manage API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="COMMAND")
    token_create = token_sub.add_parser(
        "create", help="print a new API token for a user (and nothing else)"
    )
    token_create.add_argument("--email", required=True)
    token_create.add_argument("--label", default="", help="what the token is for")
    token_create.set_defaults(func=cmd_token_create)

    screen = sub.add_parser("screen", help="manage display links")
    screen_sub = screen.add_subparsers(dest="screen_command", required=True, metavar="COMMAND")
    screen_create = screen_sub.add_parser(
        "create", help="print the path of a new display link to a board (and nothing else)"
    )
    screen_create.add_argument("--board", type=int, required=True, metavar="ID")
    screen_create.add_argument("--label", default="", help="which screen the link is for")
    screen_create.set_defaults(func=cmd_screen_create)

    imports = sub.add_parser("import", help="bring a board over from another tool")
    import_sub = imports.add_subparsers(dest="import_command", required=True, metavar="COMMAND")
    trello = import_sub.add_parser(
        "trello", help="import a Trello board's JSON export into a board (again: adds nothing)"
    )
    trello.add_argument("file", type=Path, metavar="FILE")
    trello.add_argument("--board", type=int, required=True, metavar="ID")
    trello.add_argument(
        "--mapping",
        help='JSON {list id: "todo"|"doing"|"done"|"successes"|"ideas"|"skip"} '
        "(default: proposed from the list names)",
    )
    trello.set_defaults(func=cmd_import_trello)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:  # e.g. no BORD_SECRET_KEY in production
        print(f"bord: error: invalid configuration:\n{exc}", file=sys.stderr)
        return 1
    try:
        args.func(args, settings)
    except CommandError as exc:
        print(f"bord: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
