"""URL path converters for every app's routes (registered in ``QasiteConfig.ready``).

``id``: a row id, ASCII digits up to the largest 64-bit id, so a longer number does not
match the route (404) instead of overflowing the database's integer.

``tag``: a tag name as one path segment, whatever its characters (names kept from older
data or imports may hold ``/``, ``%``, spaces or markup). ``reverse`` percent-encodes what it
returns, and the server decodes the path before routing, so ``/`` and ``%`` are escaped
once more here (``a/b`` → ``a%2Fb`` → ``/questions/tagged/a%252Fb/``), and so is a name
that is only dots, which browsers would otherwise resolve as ``.`` or ``..``.
"""

import re
from urllib.parse import unquote

#: The largest id a 64-bit signed integer column holds.
MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """The id ``text`` spells in ASCII digits, or None (not a number, or out of range)."""
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # the route does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(value)


class TagNameConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        name = unquote(value)
        if "\x00" in name:
            raise ValueError("no name holds a NUL character")  # 404
        return name

    def to_url(self, value) -> str:
        name = str(value)
        if not name:
            raise ValueError("an empty name has no URL")
        escaped = name.replace("%", "%25").replace("/", "%2F")
        if escaped.strip(".") == "":
            escaped = "%2E" * len(escaped)
        return escaped
