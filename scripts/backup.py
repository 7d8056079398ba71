"""Backup and restore of a site (README, "Backup and restore"; `make backup`, `make restore`).

    python scripts/backup.py backup DIR    # DIR/database.dump + DIR/uploads.tar.gz
    python scripts/backup.py restore DIR   # into the empty database of DATABASE_URL, then
                                           # `manage.py check_integrity`

The database comes from ``DATABASE_URL`` (PostgreSQL only), the uploads from the settings'
``MEDIA_ROOT`` and ``PRIVATE_ROOT`` (the data exports). pg_dump's custom format is restored
with pg_restore without owners, so the target may belong to another role. pg_dump must be
at least the server's major version (it refuses an older one's dump otherwise). The restore
refuses a database that already has tables, creates a missing one, and exits with the
integrity check's status.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DUMP, UPLOADS, MANIFEST = "database.dump", "uploads.tar.gz", "manifest.json"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database (backups use pg_dump).")
    return url


def upload_roots() -> dict[str, Path]:
    """The folders of uploaded files, as the settings name them, by their name in the tar."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qasite.settings")
    import django
    from django.conf import settings

    django.setup()
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.STORAGES["private"]["OPTIONS"]["location"]),
    }


def server_major(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000


def tool_major(tool: str) -> int:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    return int(re.search(r"\)\s*(\d+)", output.stdout).group(1))  # "pg_dump (PostgreSQL) 15.20"


def check_versions(url: str) -> None:
    server, dump = server_major(url), tool_major("pg_dump")
    if dump < server:
        sys.exit(f"pg_dump {dump} is older than the server ({server}): install pg_dump {server}.")


def backup(directory: Path) -> None:
    url = database_url()
    check_versions(url)
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(directory / DUMP), url],
        check=True,
    )
    with tarfile.open(directory / UPLOADS, "w:gz") as archive:
        for name, folder in upload_roots().items():
            if folder.is_dir():
                archive.add(folder, arcname=name)
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "database": urlsplit(url).path.lstrip("/"),
        "server_major": server_major(url),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2))
    print(f"Backup written to {directory}: {DUMP}, {UPLOADS}.")


def ensure_empty_database(url: str) -> None:
    """Create the database when it does not exist; refuse one that already has tables."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            return
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        sys.exit(f"Database {name!r} is not empty ({tables} tables): restore into an empty one.")


def restore(directory: Path) -> int:
    url = database_url()
    for name in (DUMP, UPLOADS):
        if not (directory / name).is_file():
            sys.exit(f"{directory / name} is missing.")
    ensure_empty_database(url)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", url, str(directory / DUMP)],
        check=True,
    )
    roots = upload_roots()
    with tarfile.open(directory / UPLOADS, "r:gz") as archive:
        for member in archive.getmembers():
            top, _, rest = member.name.partition("/")
            if top in roots and rest:
                member.name = rest
                archive.extract(member, roots[top], filter="data")
    print(f"Restored {directory} into {urlsplit(url).path.lstrip('/')}; checking integrity…")
    return subprocess.run([sys.executable, "manage.py", "check_integrity"], cwd=ROOT).returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("directory", type=Path)
    options = parser.parse_args()
    if options.action == "backup":
        backup(options.directory)
    else:
        sys.exit(restore(options.directory))


if __name__ == "__main__":
    main()
