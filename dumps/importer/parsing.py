"""Values of a dump's attributes: times, numbers, tag lists (and which names the site's tag
rule allows), PostHistory JSON, line ends."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime

from threads.validation import is_tag_name


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def to_int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def parse_tags(text: str | None) -> list[str]:
    """``<a><b>`` or ``|a|b|`` → names as written, order kept, no duplicates. Names are
    not lower-cased: a name the site's tag rule refuses (``is_tag_name``) is left off."""
    if not text:
        return []
    text = text.strip()
    names = text[1:-1].split("><") if text.startswith("<") else text.strip("|").split("|")
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


@functools.lru_cache(maxsize=16384)
def allowed_tag(name: str) -> bool:
    """``is_tag_name`` once per name: a dump repeats its few thousand tags on every
    question and tag revision, and the check goes character by character."""
    return is_tag_name(name)


def parse_json(text: str | None) -> dict:
    """The JSON object in a PostHistory ``Text``; {} when there is none."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def parse_voters(text: str | None) -> tuple[list[dict], list[str]]:
    """``{"Voters": [...], "OriginalQuestionIds": [...]}`` → (voters, original ids)."""
    data = parse_json(text)
    voters = [voter for voter in data.get("Voters") or [] if isinstance(voter, dict)]
    originals = [str(value) for value in data.get("OriginalQuestionIds") or []]
    return voters, originals


def newlines(text: str | None) -> str:
    """PostHistory and comment texts use CR LF; Markdown sources here use LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")
