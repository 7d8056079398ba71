"""Errors: malformed XML keeps every row before the spot and a rerun resumes; skip reasons
after the spot say "not read", not "deleted"; damaged archives and Ctrl-C end in one line
(exit codes 1 and 130), never a traceback, and leave no temporary folder."""

import tempfile
import zipfile

import py7zr
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from dumps.importer import posts, run
from dumps.models import SourceKind, SourceRow
from tests.dumps import at, mini_rows, post, run_import, write_dump
from threads.models import Comment, Post, Revision

pytestmark = pytest.mark.django_db

DELETED = "post absent (deleted on the source site)"
NOT_READ = "post not read (after the spot where Posts.xml stopped)"
BROKEN_ROW = '  <row Id="25" PostTypeId="1" Title="a < b is not well-formed" />\n'


def skipped(output: str) -> dict[str, dict[str, int]]:
    """The summary table's skip reasons: file → reason → count."""
    table: dict[str, dict[str, int]] = {}
    current = None
    for line in output.splitlines():
        if line.split(" ", 1)[0].endswith(".xml"):
            current = table.setdefault(line.split()[0], {})
        elif line.startswith("    skipped") and current is not None:
            count, reason = line.removeprefix("    skipped").strip().split("  ", 1)
            current[reason.strip()] = int(count.replace(",", ""))
    return table


def break_after(path, source_id: str, broken: str = BROKEN_ROW) -> int:
    """Put a malformed row after the row ``Id="source_id"``; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if f'Id="{source_id}" ' in line) + 1
    lines.insert(index, broken)
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def dump_with_references(tmp_path):
    """The test dump, with comments and votes on a deleted post (15, before the spot) and
    on posts after it."""
    rows = mini_rows()
    rows["Comments.xml"] += [
        {"Id": 5, "PostId": 15, "Text": "On a deleted post.", "CreationDate": at(3), "UserId": 1},
        {"Id": 6, "PostId": 50, "Text": "On a later post.", "CreationDate": at(12), "UserId": 1},
        {"Id": 7, "PostId": 40, "Text": "On another one.", "CreationDate": at(9), "UserId": 2},
    ]
    rows["Votes.xml"] += [{"Id": 7, "PostId": 15, "VoteTypeId": 2, "CreationDate": at(3)}]
    return write_dump(tmp_path / "broken", rows)


def test_malformed_posts_keep_every_row_before_the_spot_and_a_rerun_resumes(tmp_path):
    folder = dump_with_references(tmp_path)
    clean = (folder / "Posts.xml").read_text(encoding="utf-8")
    line = break_after(folder / "Posts.xml", "20")

    with pytest.raises(CommandError) as failure:
        run_import(folder, batch_size=3)

    message = str(failure.value)
    assert failure.value.returncode == 1
    assert message.startswith(f"Posts.xml: malformed XML at line {line}, column ")
    assert "\n" not in message and "run the same command again to resume" in message
    # Questions 10 and 20 and both answers: the batch the spot cut ([20]) was written.
    mapped = SourceRow.objects.filter(site="broken", kind=SourceKind.POST)
    assert sorted(mapped.values_list("source_id", flat=True), key=int) == ["10", "11", "12", "20"]
    assert post("broken", 10).accepted_answer == post("broken", 11)

    (folder / "Posts.xml").write_text(clean, encoding="utf-8")
    output = run_import(folder, batch_size=3)

    assert "Import complete." in output
    assert mapped.count() == 8
    assert skipped(output)["Posts.xml"]["already imported"] == 4
    assert Comment.objects.filter(post=post("broken", 50)).exists()


def test_skip_reasons_after_a_malformed_spot_are_counted_per_kind(tmp_path):
    folder = dump_with_references(tmp_path)
    break_after(folder / "Posts.xml", "20")

    out = tmp_path / "out.txt"
    with out.open("w") as stream, pytest.raises(CommandError):
        call_command("import_stackexchange", str(folder), stdout=stream, stderr=stream)
    table = skipped(out.read_text())

    # Comments on 10 and 11 are in; 15 was deleted; 999, 50 and 40 come after the spot.
    assert table["Comments.xml"] == {DELETED: 1, NOT_READ: 3}
    assert table["Votes.xml"] == {
        DELETED: 1,
        NOT_READ: 1,
        "aggregated into post scores: VoteTypeId 2 (UpMod)": 2,
        "aggregated into post scores: VoteTypeId 3 (DownMod)": 1,
        "dates the accepted answer: VoteTypeId 1 (AcceptedByOriginator)": 1,
        "not kept: VoteTypeId 5 (Favorite)": 1,
    }
    # Link 4's type comes first; 40, 30 and 50 are after the spot.
    assert table["PostLinks.xml"] == {NOT_READ: 3, "unsupported LinkTypeId 2": 1}
    history = table["PostHistory.xml"]
    assert DELETED not in history and history[NOT_READ] > 0
    assert history["unsupported PostHistoryTypeId 16 (Community Owned)"] == 1


def test_a_malformed_spot_inside_a_revision_keeps_that_revision_whole(tmp_path):
    folder = write_dump(tmp_path / "broken")
    clean = (folder / "PostHistory.xml").read_text(encoding="utf-8")
    broken = '  <row Id="2b" PostId="10" Text="a < b" />\n'
    break_after(folder / "PostHistory.xml", "2", broken)  # rows 1, 2 | 3 of g-10-1

    with pytest.raises(CommandError):
        run_import(folder)
    assert not Revision.objects.filter(post=post("broken", 10)).exists()

    (folder / "PostHistory.xml").write_text(clean, encoding="utf-8")
    run_import(folder)
    first = Revision.objects.filter(post=post("broken", 10)).order_by("number").first()
    assert (first.title, first.tags) == ("How do I use the subjunctive?", "french grammar")


@pytest.fixture
def command_line(capsys, monkeypatch):
    """``manage.py import_stackexchange …`` as a shell runs it: (exit code, stderr). The
    command line closes the database connections when done; the test's is kept open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exit_:
            execute_from_command_line(["manage.py", "import_stackexchange", *map(str, args)])
        return exit_.value.code, capsys.readouterr().err

    return run


@pytest.fixture
def temporary(tmp_path, monkeypatch):
    """The folder where temporary folders are made, to see what is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def make_7z(folder, archive):
    with py7zr.SevenZipFile(archive, "w") as seven:
        seven.writeall(folder, arcname=folder.name)
    return archive


def make_zip(folder, archive):
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted(folder.iterdir()):
            zipped.write(file, arcname=file.name)
    return archive


@pytest.mark.parametrize("suffix", [".zip", ".7z"])
def test_a_truncated_archive_is_one_line_and_leaves_no_temporary_files(
    mini, tmp_path, temporary, command_line, suffix
):
    make = make_zip if suffix == ".zip" else make_7z
    archive = make(mini, tmp_path / f"mini{suffix}")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    code, err = command_line(archive)

    assert code == 1
    [message] = err.strip().splitlines()
    assert f"corrupt or truncated {suffix} archive" in message
    assert "Traceback" not in err
    assert list(temporary.iterdir()) == []
    assert not Post.objects.exists()


def test_damaged_zip_data_stops_that_file_in_one_line(mini, tmp_path, command_line):
    archive = make_zip(mini, tmp_path / "mini.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        info = zipped.getinfo("Comments.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))

    code, err = command_line(archive)

    assert code == 1
    assert "Traceback" not in err
    assert "Comments.xml: corrupt archive data" in err
    assert Post.objects.filter(pk=post("mini", 10).pk).exists()  # the other files are in


def test_malformed_xml_on_the_command_line_is_one_line(tmp_path, command_line):
    folder = dump_with_references(tmp_path)
    line = break_after(folder / "Posts.xml", "20")

    code, err = command_line(folder)

    assert code == 1
    assert "Traceback" not in err
    [message] = err.strip().splitlines()
    assert message.startswith(f"CommandError: Posts.xml: malformed XML at line {line}, column ")


@pytest.fixture
def interrupted_questions(monkeypatch):
    """Ctrl-C in the second batch of questions."""
    real, calls = posts.import_questions, []

    def handler(context, batch, report):
        calls.append(batch)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(context, batch, report)

    monkeypatch.setattr(posts, "import_questions", handler)
    return monkeypatch


def test_ctrl_c_says_where_to_resume_and_exits_130(mini, interrupted_questions):
    with pytest.raises(CommandError) as stop:
        run_import(mini, batch_size=2)

    assert stop.value.returncode == 130
    assert str(stop.value) == (
        "Interrupted during Posts.xml (questions, tag wikis) after 2 rows; "
        "run the same command again to resume."
    )
    assert SourceRow.objects.filter(kind=SourceKind.POST).count() == 2  # the first batch

    interrupted_questions.undo()
    assert "Import complete." in run_import(mini, batch_size=2)


def test_ctrl_c_on_the_command_line_has_no_traceback_nor_temporary_files(
    mini, tmp_path, temporary, command_line, interrupted_questions
):
    archive = make_7z(mini, tmp_path / "mini.7z")

    code, err = command_line(archive, "--batch-size", 2)

    assert code == 130
    assert "Traceback" not in err
    assert "Interrupted during Posts.xml (questions, tag wikis) after 2 rows" in err
    assert list(temporary.iterdir()) == []


def test_ctrl_c_during_the_recount_says_so(mini, monkeypatch):
    def interrupted(context, *, imported):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "finish", interrupted)
    with pytest.raises(CommandError) as stop:
        run_import(mini)

    assert stop.value.returncode == 130
    assert str(stop.value) == (
        "Interrupted during the recount after the last file; run the same command again to resume."
    )
