"""Import benchmark: a generated dump of about a million rows (bench/dump_generator.py) or a
given one, imported into a fresh database in a subprocess (``migrate``, then
``import_stackexchange``), optionally run a second time (an unchanged rerun).

Prints rows, seconds and rows/s per file and overall, the whole command's time, and the
import process's peak memory (``ru_maxrss``). No pass/fail: numbers only; never part of
the test suite.

    .venv/bin/python bench/import_bench.py [--rows N] [--keep] [--dump PATH] [--rerun]

* ``--rows N``: size of the generated dump (default 1,000,000), written to
  ``bench/results/dump-N/`` (gitignored); ``--keep`` reuses it when it is there already.
* ``--dump PATH``: import this dump instead (a folder or .zip/.7z archive), e.g.
  ``../shared/stackexchange/french.meta``.
* The database is a fresh SQLite file in ``bench/results/``, or with ``BENCH_DATABASE_URL``
  a PostgreSQL database that is dropped and created again (use a database of your own).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# "Users.xml   1,703   1,703   0   0.38   4,499" in the command's closing table.
ROW = re.compile(r"^(\S+\.xml)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d.]+)\s+([\d,]+)$")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def fresh_database(url: str) -> str:
    """A fresh SQLite file, or the PostgreSQL database of ``url`` dropped and created."""
    if not url:
        database = RESULTS / "import-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{database}"
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    server = url[: -len(name)] + "postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def run_measured(command: list[str], env: dict) -> tuple[int, str, float, float, float]:
    """(exit code, output, seconds, CPU seconds, peak memory in MiB) of one subprocess."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return process.returncode, output, seconds, cpu, usage.ru_maxrss / 1024  # KiB on Linux


def report(title: str, output: str, wall: float, cpu: float, peak: float) -> None:
    rows = [ROW.match(line.strip()) for line in output.splitlines()]
    rows = [match for match in rows if match]
    print(title)
    print(f"{'file':<16} {'rows':>10} {'imported':>10} {'seconds':>8} {'rows/s':>9}")
    total_rows = total_imported = 0
    total_seconds = 0.0
    for match in rows:
        name, count, imported, _, seconds, _ = match.groups()
        count, imported, seconds = number(count), number(imported), float(seconds)
        rate = count / seconds if seconds else 0.0
        print(f"{name:<16} {count:>10,} {imported:>10,} {seconds:>8.2f} {rate:>9,.0f}")
        total_rows += count
        total_imported += imported
        total_seconds += seconds
    finish = re.search(r"recomputed in ([\d.]+) s", output)
    finish_seconds = float(finish.group(1)) if finish else 0.0
    print("-" * 58)
    print(
        f"{'files':<16} {total_rows:>10,} {total_imported:>10,} {total_seconds:>8.2f} "
        f"{total_rows / total_seconds if total_seconds else 0:>9,.0f}"
    )
    print(f"counts, history and search index after the files: {finish_seconds:.2f} s")
    print(
        f"whole command (process start, Django setup, files, finish): {wall:.2f} s, "
        f"{total_rows / wall if wall else 0:,.0f} rows/s"
    )
    print(
        f"CPU time of the import process (user + system; the database server's is not "
        f"counted): {cpu:.2f} s, {total_rows / cpu if cpu else 0:,.0f} rows per CPU second"
    )
    print(f"peak memory of the import process (ru_maxrss): {peak:,.0f} MiB\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the generated dump")
    parser.add_argument("--dump", type=Path, help="import this dump instead of a generated one")
    parser.add_argument("--rerun", action="store_true", help="import it a second time")
    options = parser.parse_args(argv)
    dump = options.dump
    if dump is None:
        dump = RESULTS / f"dump-{options.rows}"
        if not (options.keep and (dump / "Posts.xml").exists()):
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "dump_generator.py"),
                    str(dump),
                    "--rows",
                    str(options.rows),
                ],
                check=True,
            )
            print(f"generated in {time.perf_counter() - started:.1f} s\n")
    if not dump.exists():
        print(f"No dump at {dump}: nothing to measure.")
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = fresh_database(os.environ.get("BENCH_DATABASE_URL", ""))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    runs = ("first import", "unchanged rerun") if options.rerun else ("first import",)
    for run in runs:
        code, output, wall, cpu, peak = run_measured(
            [*manage, "import_stackexchange", str(dump), "--site", "bench"], env
        )
        if code != 0:
            print(output[-5000:])
            print(f"import_stackexchange failed (exit code {code})")
            return code
        report(f"{run.capitalize()} of {dump.name} ({vendor})", output, wall, cpu, peak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
