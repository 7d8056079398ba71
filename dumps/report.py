"""Progress lines while a file is read, and the closing summary of an import."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

#: How often a progress line is printed when stdout is not a terminal (seconds).
PLAIN_INTERVAL = 3.0
#: How often the line is redrawn on a terminal.
TTY_INTERVAL = 0.2


@dataclass
class FileReport:
    """What happened to the rows of one file: ``imported + sum(skipped) == rows``."""

    name: str
    rows: int = 0
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    missing: bool = False
    error: str | None = None
    seconds: float = 0.0

    def skip(self, reason: str, count: int = 1) -> None:
        self.rows += count
        self.skipped[reason] += count

    def take(self, count: int = 1) -> None:
        self.rows += count
        self.imported += count

    def note(self, what: str, count: int = 1) -> None:
        self.notes[what] += count

    def merge(self, other: FileReport) -> None:
        self.rows += other.rows
        self.imported += other.imported
        self.skipped.update(other.skipped)
        self.notes.update(other.notes)


class Progress:
    """One line per file: rows, rows/s and an ETA from the bytes read against the size.
    Redrawn in place (``\\r``) on a terminal, printed every few seconds otherwise."""

    def __init__(self, out, *, label: str, size: int, reader, tty: bool):
        self.out = out
        self.label = label
        self.size = max(size, 1)
        self.reader = reader
        self.tty = tty
        self.started = time.monotonic()
        self.interval = TTY_INTERVAL if tty else PLAIN_INTERVAL
        self.next_at = self.started + self.interval
        self.rows = 0

    def tick(self) -> None:
        self.rows += 1
        if self.rows % 256 == 0:
            now = time.monotonic()
            if now >= self.next_at:
                self.next_at = now + self.interval
                self._write(self._line(now), final=False)

    def done(self) -> float:
        now = time.monotonic()
        self._write(self._line(now, done=True), final=True)
        return now - self.started

    def _line(self, now: float, done: bool = False) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.rows / elapsed
        if done:
            return f"{self.label}: {self.rows:,} rows in {elapsed:.1f} s ({rate:,.0f} rows/s)"
        fraction = min(self.reader.bytes_read / self.size, 1.0)
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        return (
            f"{self.label}: {self.rows:,} rows, {rate:,.0f} rows/s, "
            f"{fraction:5.1%} read, ETA {eta:.0f} s"
        )

    def _write(self, line: str, *, final: bool) -> None:
        if self.tty:
            self.out.write("\r\x1b[K" + line, ending="\n" if final else "")
            self.out.flush()
        else:
            self.out.write(line)


def summary_table(reports: list[FileReport]) -> list[str]:
    """The closing table: rows imported and skipped per file, with the reasons counted."""
    lines = [
        f"{'File':<16} {'Rows':>8} {'Imported':>9} {'Skipped':>8} {'Seconds':>8} {'Rows/s':>8}"
    ]
    lines.append("-" * len(lines[0]))
    total_rows = total_imported = total_skipped = 0
    total_seconds = 0.0
    for report in reports:
        skipped = sum(report.skipped.values())
        if report.missing:
            lines.append(f"{report.name:<16} {'missing: skipped':>36}")
            continue
        rate = report.rows / report.seconds if report.seconds else 0
        lines.append(
            f"{report.name:<16} {report.rows:>8,} {report.imported:>9,} {skipped:>8,} "
            f"{report.seconds:>8.2f} {rate:>8,.0f}"
        )
        for reason, count in sorted(report.skipped.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    skipped {count:>7,}  {reason}")
        for note, count in sorted(report.notes.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    note    {count:>7,}  {note}")
        if report.error:
            lines.append(f"    ERROR   {report.error}")
        total_rows += report.rows
        total_imported += report.imported
        total_skipped += skipped
        total_seconds += report.seconds
    lines.append("-" * len(lines[0]))
    rate = total_rows / total_seconds if total_seconds else 0
    lines.append(
        f"{'Total':<16} {total_rows:>8,} {total_imported:>9,} {total_skipped:>8,} "
        f"{total_seconds:>8.2f} {rate:>8,.0f}"
    )
    return lines
