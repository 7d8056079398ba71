"""What the import prints: a progress line per file (redrawn with \\r on a terminal, printed
every few seconds otherwise) and a closing summary of rows imported and skipped, with the
reasons counted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from dumps import report
from dumps.source import CountingReader
from tests.dumps import run_import

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_prints_a_line_per_file_and_a_summary_with_reasons(mini):
    output = run_import(mini)

    assert "\r" not in output
    for name in ("Users.xml", "Tags.xml", "Comments.xml", "PostHistory.xml", "Votes.xml"):
        assert f"{name}: " in output and " rows/s)" in output
    assert "Posts.xml (answers): 12 rows in" in output
    summary = output[output.index("File ") :]
    assert "Imported" in summary and "Skipped" in summary
    assert "Comments.xml" in summary
    assert "skipped       1  post absent (deleted on the source site)" in summary
    assert "skipped       2  badges are not imported" in summary
    assert "Total" in summary


def test_it_redraws_the_progress_line_on_a_terminal(mini):
    out = Terminal()

    call_command("import_stackexchange", str(mini), stdout=out)

    assert "\r\x1b[KUsers.xml: 5 rows in" in out.getvalue()


def test_it_prints_progress_with_rate_and_eta_every_few_seconds_off_a_terminal(monkeypatch):
    monkeypatch.setattr(report, "PLAIN_INTERVAL", 0.0)
    out = io.StringIO()
    reader = CountingReader(io.BytesIO(b"x" * 1000))
    reader.read(250)
    progress = report.Progress(
        OutputWrapper(out), label="Posts.xml", size=1000, reader=reader, tty=False
    )

    for _ in range(600):
        progress.tick()
    progress.done()

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Posts.xml: 256 rows, ")
    assert "rows/s, 25.0% read, ETA" in lines[0]
    assert lines[-1].startswith("Posts.xml: 600 rows in ")
