"""The seed thread (``seed_thread.json``): its data, its fixed token and its attribution.

The thread is CC BY-SA content from Data Science Stack Exchange. Its text is stored
faithfully (nothing appended to the question body); the loader copies the source URL and
license onto the question (``Post.source_url`` / ``content_license``), which the question
page shows as attribution, as it does for imported posts.
"""

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

SEED_PATH = Path(__file__).with_name("seed_thread.json")

#: ``creation_token`` of the seed question: the marker that the seed thread is loaded.
SEED_TOKEN = uuid.UUID("5eed0000-28d6-4c5a-9d1e-000000028006")


@cache
def seed_data() -> dict[str, Any]:
    """The parsed ``seed_thread.json`` (cached; treat it as read-only)."""
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def seed_token(*parts: object) -> uuid.UUID:
    """A fixed token for one seed row (``seed_token("answer", 0)``, ...), derived from
    :data:`SEED_TOKEN` so a second load finds the rows the first one created."""
    return uuid.uuid5(SEED_TOKEN, ":".join(str(part) for part in parts))


def seed_authors() -> list[str]:
    """Every author named in the thread, in order of appearance (question author first)."""
    data = seed_data()
    names = [data["question"]["author"]]
    names += [comment["author"] for comment in data["question"].get("comments", [])]
    for answer in data["answers"]:
        names.append(answer["author"])
        names += [comment["author"] for comment in answer.get("comments", [])]
    return list(dict.fromkeys(name for name in names if name))


def _source() -> dict[str, Any]:
    source = dict(seed_data()["source"])
    source["title"] = seed_data()["question"]["title"]
    source["authors"] = seed_authors()
    return source


#: The JSON's ``source`` (site, url, license, retrieved_note) plus ``title`` and
#: ``authors``: everything a CC BY-SA attribution needs.
SEED_SOURCE: dict[str, Any] = _source()
