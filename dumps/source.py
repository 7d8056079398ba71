"""Reading a dump: a folder of XML files or a .zip/.7z archive of them, each file streamed
row by row with ``iterparse`` so memory stays flat whatever the file size."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

#: The files of a dump, in the order they are imported.
DUMP_FILES = (
    "Users.xml",
    "Tags.xml",
    "Posts.xml",
    "Comments.xml",
    "PostHistory.xml",
    "PostLinks.xml",
    "Votes.xml",
    "Badges.xml",
)
REQUIRED_FILES = ("Posts.xml", "Users.xml")
ARCHIVE_SUFFIXES = (".zip", ".7z")


class DumpError(Exception):
    """A dump that can't be read at all (missing required file, unknown, corrupt or
    truncated archive)."""


class DumpFileError(Exception):
    """One file that could not be read to its end (its rows before the spot could)."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


class DumpParseError(DumpFileError):
    """Malformed XML in one file: names the file, the line and the column."""

    def __init__(self, name: str, line: int | None, column: int | None, message: str):
        where = f"line {line}, column {column}" if line is not None else "unknown position"
        reason = message.split(":")[0]  # expat's text repeats the position
        super().__init__(name, f"malformed XML at {where} ({reason})")
        self.line = line
        self.column = column


#: What reading a damaged member of a .zip raises (bad CRC, corrupt deflate data, cut off).
ARCHIVE_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


class CountingReader:
    """A binary file wrapper that counts the bytes read (progress and ETA)."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data


@dataclass
class DumpFile:
    name: str
    size: int
    reader: CountingReader

    def rows(self) -> Iterator[dict[str, str]]:
        """Each ``<row>``'s attributes; elements are cleared as they are read. A UTF-8 BOM
        is skipped; malformed XML raises ``DumpParseError`` naming the file, line and
        column, damaged archive data ``DumpFileError``."""
        try:
            yield from self._rows()
        except ParseError as error:
            line, column = error.position if error.position else (None, None)
            raise DumpParseError(self.name, line, column, str(error)) from None
        except ARCHIVE_READ_ERRORS as error:
            where = f"after {self.reader.bytes_read:,} bytes"
            raise DumpFileError(self.name, f"corrupt archive data {where} ({error})") from None

    def _rows(self) -> Iterator[dict[str, str]]:
        stream = self.reader
        head = stream.read(3)
        prefix = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        root = None
        for event, element in iterparse(_Prepend(prefix, stream), events=("start", "end")):
            if root is None:
                root = element
                continue
            if event == "end" and element.tag == "row":
                attributes = dict(element.attrib)
                element.clear()
                root.clear()
                yield attributes


class _Prepend:
    """Give back bytes already read (the BOM check) before the rest of the stream."""

    def __init__(self, prefix: bytes, stream: CountingReader):
        self.prefix = prefix
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.prefix:
            data, self.prefix = self.prefix, b""
            return data
        return self.stream.read(size)


class DumpSource:
    """The files of one dump, whatever holds them. Use as a context manager: a .7z archive
    is extracted to a temporary directory that is removed on exit, and on any failure to
    open (a corrupt or truncated archive raises ``DumpError``, one line)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._folder: Path | None = None
        self._zip: zipfile.ZipFile | None = None
        self._temporary: str | None = None
        self._members: dict[str, str] = {}

    @property
    def site_key(self) -> str:
        name = self.path.name
        for suffix in ARCHIVE_SUFFIXES:
            if name.lower().endswith(suffix):
                return name[: -len(suffix)]
        return name

    def __enter__(self) -> DumpSource:
        if self.path.is_dir():
            self._folder = self.path
        elif self.path.is_file() and self.path.name.lower().endswith(".zip"):
            self._open_zip()
        elif self.path.is_file() and self.path.name.lower().endswith(".7z"):
            self._extract_7z()
        elif not self.path.exists():
            raise DumpError(f"{self.path}: no such file or folder.")
        else:
            raise DumpError(f"{self.path}: expected a folder, a .zip or a .7z archive.")
        if self._folder is not None:
            # The shallowest file of each name (an archive may hold a folder of files).
            files = sorted(
                (file for file in self._folder.rglob("*") if file.is_file()),
                key=lambda file: (len(file.parts), str(file)),
            )
            for file in files:
                self._members.setdefault(file.name.lower(), str(file))
        return self

    def _open_zip(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
            raise DumpError(f"{self.path}: corrupt or truncated .zip archive ({error}).") from None
        names = sorted(
            (info.filename for info in self._zip.infolist() if not info.is_dir()),
            key=lambda name: (name.count("/"), name),
        )
        for name in names:
            self._members.setdefault(Path(name).name.lower(), name)

    def _extract_7z(self) -> None:
        """Extract to a temporary folder, removed again if extraction fails or is
        interrupted (py7zr raises assorted errors on damaged archives)."""
        import py7zr

        self._temporary = tempfile.mkdtemp(prefix="qasite-dump-")
        try:
            with py7zr.SevenZipFile(self.path, mode="r") as archive:
                archive.extractall(path=self._temporary)
        except BaseException as error:
            self._remove_temporary()
            if not isinstance(error, Exception):
                raise
            reason = str(error) or type(error).__name__
            raise DumpError(f"{self.path}: corrupt or truncated .7z archive ({reason}).") from None
        self._folder = Path(self._temporary)

    def _remove_temporary(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def __exit__(self, *exc) -> None:
        if self._zip is not None:
            self._zip.close()
        self._remove_temporary()

    def has(self, name: str) -> bool:
        return name.lower() in self._members

    @contextmanager
    def open(self, name: str) -> Iterator[DumpFile]:
        member = self._members[name.lower()]
        if self._zip is not None:
            size = self._zip.getinfo(member).file_size
            with self._zip.open(member) as raw:
                yield DumpFile(name, size, CountingReader(raw))
        else:
            path = Path(member)
            with path.open("rb") as raw:
                yield DumpFile(name, path.stat().st_size, CountingReader(raw))
