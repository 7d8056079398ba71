"""URL path converters for every app's routes (registered in ``QasiteConfig.ready``).

``id``: a row id, ASCII digits up to the largest 64-bit id, so a longer number does not
match the route (404) instead of overflowing the database's integer.
"""

import re

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
