"""Operator commands for storage: ``python -m woundcare.storage.cli --help``.

Passwords come from the environment (``WOUNDCARE_DB_OWNER_PASSWORD``,
``WOUNDCARE_DB_APP_PASSWORD``), never from the command line where ``ps`` would show them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from woundcare.storage import migrate, roles
from woundcare.storage.database import create_db_engine


def _migration_url(arg: str | None) -> str:
    if arg:
        return arg
    from woundcare.config import get_settings

    settings = get_settings()
    url = settings.migration_database_url or settings.database_url
    if not url:
        from woundcare.storage.database import default_sqlite_url

        url = default_sqlite_url(settings.data_dir)
    return url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="woundcare-storage")
    sub = parser.add_subparsers(dest="command", required=True)
    boot = sub.add_parser("bootstrap-roles", help="create the owner and application roles")
    boot.add_argument("--superuser-url", required=True)
    boot.add_argument("--owner-role", default=roles.DEFAULT_OWNER_ROLE)
    boot.add_argument("--app-role", default=roles.app_role_name())
    for name in ("upgrade", "downgrade", "current"):
        p = sub.add_parser(name)
        p.add_argument("--url", help="default: settings.migration_database_url")
        if name != "current":
            p.add_argument("revision", nargs="?", default="head" if name == "upgrade" else "-1")
            p.add_argument("--app-role", default=roles.app_role_name())
    args = parser.parse_args(argv)

    if args.command == "bootstrap-roles":
        roles.bootstrap_roles(
            args.superuser_url,
            args.owner_role,
            args.app_role,
            owner_password=os.environ.get("WOUNDCARE_DB_OWNER_PASSWORD"),
            app_password=os.environ.get("WOUNDCARE_DB_APP_PASSWORD"),
        )
    elif args.command == "upgrade":
        migrate.upgrade(_migration_url(args.url), args.revision, app_role=args.app_role)
    elif args.command == "downgrade":
        migrate.downgrade(_migration_url(args.url), args.revision, app_role=args.app_role)
    else:
        engine = create_db_engine(_migration_url(args.url))
        try:
            current = migrate.current_revision(engine)
        finally:
            engine.dispose()
        head = migrate.head_revision()
        sys.stdout.write(f"current={current} head={head} up_to_date={current == head}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
