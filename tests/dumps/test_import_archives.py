"""A dump may come as a .zip (members streamed) or a .7z archive (extracted to a temporary
folder that is removed afterwards); both import what the folder imports."""

import tempfile
import zipfile
from pathlib import Path

import py7zr
import pytest

from dumps import source
from dumps.models import SourceRow
from tests.dumps import post, run_import
from threads.models import Comment, Post, Revision

pytestmark = pytest.mark.django_db


def summary() -> dict:
    return {
        "questions": Post.objects.questions().count(),
        "answers": Post.objects.answers().count(),
        "comments": Comment.objects.count(),
        "revisions": Revision.objects.count(),
        "mapped": SourceRow.objects.count(),
    }


def rows_of(site: str) -> int:
    return SourceRow.objects.filter(site=site).count()


def test_it_imports_a_zip_archive_as_it_imports_the_folder(mini, tmp_path):
    archive = tmp_path / "mini.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted(mini.iterdir()):
            zipped.write(file, arcname=f"mini/{file.name}")  # files in a folder inside

    output = run_import(archive)

    assert "as site “mini”" in output  # the key is the archive's name
    counts = summary()
    del counts["mapped"]
    assert counts == {"questions": 6, "answers": 2, "comments": 3, "revisions": 12}
    assert post("mini", 30).close_notice["reason"]["kind"] == "duplicate"


def test_it_imports_a_7z_archive_and_removes_its_temporary_folder(mini, tmp_path, monkeypatch):
    archive = tmp_path / "mini.7z"
    with py7zr.SevenZipFile(archive, "w") as packed:
        for file in sorted(mini.iterdir()):
            packed.write(file, arcname=file.name)
    made = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(**kwargs):
        made.append(real_mkdtemp(**kwargs))
        return made[-1]

    monkeypatch.setattr(source.tempfile, "mkdtemp", mkdtemp)

    run_import(archive)

    assert summary()["questions"] == 6
    assert post("mini", 20).close_notice["source_reason"] == "Too localized"
    assert len(made) == 1
    assert not Path(made[0]).exists()


def test_it_imports_the_same_rows_from_the_folder_and_the_archives(mini, tmp_path):
    run_import(mini)
    from_folder = summary()
    archive = tmp_path / "again.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in mini.iterdir():
            zipped.write(file, arcname=file.name)

    run_import(archive)  # another site key: everything again, under "again"

    assert summary() == {key: value * 2 for key, value in from_folder.items()} | {
        "mapped": summary()["mapped"]
    }
    # The tag's wiki came from the first import; the second keeps it (no wiki revision).
    assert rows_of("again") == rows_of("mini") - 1
