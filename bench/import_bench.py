"""Import benchmark: french.meta (shared/stackexchange/, beside the repository) into a fresh
temporary SQLite database, in a subprocess (``migrate`` then ``import_stackexchange``).

Prints rows, seconds and rows/s per file and overall. No pass/fail: numbers only.

    .venv/bin/python bench/import_bench.py [DUMP_FOLDER_OR_ARCHIVE]
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUMP = ROOT.parent / "shared" / "stackexchange" / "french.meta"
# "Users.xml   1,703   1,703   0   0.38   4,499" in the command's closing table.
ROW = re.compile(r"^(\S+\.xml)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d.]+)\s+([\d,]+)$")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def main() -> int:
    dump = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DUMP
    if not dump.exists():
        print(f"No dump at {dump}: nothing to measure.")
        return 0
    with tempfile.TemporaryDirectory(prefix="qasite-import-bench-") as folder:
        database = Path(folder) / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        result = subprocess.run(
            [*manage, "import_stackexchange", str(dump)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n")
        print(f"import_stackexchange failed (exit code {result.returncode})")
        return result.returncode
    rows = [ROW.match(line.strip()) for line in result.stdout.splitlines()]
    rows = [match for match in rows if match]
    print(f"Import of {dump.name} into a fresh SQLite database")
    print(f"{'file':<16} {'rows':>8} {'imported':>9} {'seconds':>8} {'rows/s':>9}")
    total_rows = total_imported = 0
    total_seconds = 0.0
    for match in rows:
        name, count, imported, _, seconds, _ = match.groups()
        count, imported, seconds = number(count), number(imported), float(seconds)
        rate = count / seconds if seconds else 0.0
        print(f"{name:<16} {count:>8,} {imported:>9,} {seconds:>8.2f} {rate:>9,.0f}")
        total_rows += count
        total_imported += imported
        total_seconds += seconds
    finish = re.search(r"recomputed in ([\d.]+) s", result.stdout)
    finish_seconds = float(finish.group(1)) if finish else 0.0
    print("-" * 54)
    print(
        f"{'files':<16} {total_rows:>8,} {total_imported:>9,} {total_seconds:>8.2f} "
        f"{total_rows / total_seconds if total_seconds else 0:>9,.0f}"
    )
    print(f"counts and history recomputed after the files: {finish_seconds:.2f} s")
    print(
        f"whole command (process start, Django setup, files, recount): {wall:.2f} s, "
        f"{total_rows / wall:,.0f} rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
