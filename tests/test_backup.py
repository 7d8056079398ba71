"""Backup and restore (scripts/backup.py; README, "Backup and restore"), on PostgreSQL only:
a small site is dumped with its uploads, restored into a fresh database, and the integrity
check passes there. Skipped on SQLite or without pg_dump and pg_restore."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import services

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def drop(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script(*args: str, database: str, uploads: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        DATABASE_URL=database_url(database),
        MEDIA_ROOT=str(uploads / "media"),
        PRIVATE_ROOT=str(uploads / "private"),
    )
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def back_up_this_site(backup: Path, uploads: Path) -> None:
    made = script("backup", str(backup), database=connection.settings_dict["NAME"], uploads=uploads)
    assert made.returncode == 0, made.stdout + made.stderr


@pytest.fixture
def restored_name():
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump's: PostgreSQL only")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    name = f"{connection.settings_dict['NAME']}_restored"
    drop(name)
    yield name
    drop(name)


def test_a_backup_restores_into_a_fresh_database_that_passes_the_check(tmp_path, restored_name):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    CommentFactory(post=answer, author=UserFactory(reputation=50, imported_reputation=49))
    services.vote_cast(
        user=UserFactory(reputation=15, imported_reputation=14), post=question, value=1
    )
    source = tmp_path / "site"
    (source / "media" / "avatars").mkdir(parents=True)
    (source / "media" / "avatars" / "a.png").write_bytes(b"png")
    (source / "private" / "exports").mkdir(parents=True)
    (source / "private" / "exports" / "e.zip").write_bytes(b"zip")

    back_up_this_site(tmp_path / "backup", source)
    target = tmp_path / "restored"
    restored = script("restore", str(tmp_path / "backup"), database=restored_name, uploads=target)

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Integrity check passed" in restored.stdout
    assert (target / "media" / "avatars" / "a.png").read_bytes() == b"png"
    assert (target / "private" / "exports" / "e.zip").read_bytes() == b"zip"
    with psycopg.connect(database_url(restored_name)) as copy:
        score = copy.execute("SELECT score FROM threads_post WHERE id = %s", [question.pk])
        assert score.fetchone()[0] == 1


def test_a_restore_refuses_a_database_with_tables(tmp_path, restored_name):
    source = tmp_path / "site"
    back_up_this_site(tmp_path / "backup", source)

    again = script(
        "restore",
        str(tmp_path / "backup"),
        database=connection.settings_dict["NAME"],
        uploads=source,
    )

    assert again.returncode != 0
    assert "is not empty" in again.stderr
