"""Keyset pagination for long lists: "Next" continues after the last row's sort key, so a
page deep down costs what the first page costs (an index range scan, no OFFSET)."""

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

#: Numbered pages near the top of a list: at most six ASCII digits ("²" and "٣" are digits to
#: ``str.isdigit`` but not page numbers).
PAGE_NUMBER_RE = re.compile(r"[0-9]{1,6}")


def page_number(value: str | None) -> int:
    """The page number a query string asks for; anything else (junk, out of range) is 1."""
    if value is None or not PAGE_NUMBER_RE.fullmatch(value):
        return 1
    return max(1, int(value))


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    number: int | None = None
    count: int = 0

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def _encode(values: list) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, fields: list[str]) -> list | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    decoded = []
    for name, value in zip(fields, values, strict=True):
        if name.endswith("_at"):
            moment = parse_datetime(value) if isinstance(value, str) else None
            if moment is None:
                return None
            decoded.append(moment)
        elif isinstance(value, int) and not isinstance(value, bool):
            decoded.append(value)
        else:
            return None
    return decoded


def _cursor(row, fields: list[str]) -> str:
    return _encode([getattr(row, name) for name in fields])


def _beyond(fields: list[str], values: list, *, after: bool) -> Q:
    """Rows strictly after (or before) ``values`` in a descending order on ``fields``."""
    condition = Q()
    for index, name in enumerate(fields):
        step = Q(**{f"{name}__{'lt' if after else 'gt'}": values[index]})
        for previous, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{previous: value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet,
    *,
    order: tuple[str, ...],
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    page: int | None = None,
    count: int = 0,
) -> KeysetPage:
    """One page of ``queryset`` in ``order`` (descending fields only, ending with ``-pk``).
    ``after``/``before`` are cursors from a neighbouring page; ``page`` (numbered pages near
    the top) falls back to an offset."""
    if not all(name.startswith("-") for name in order):
        raise ValueError("keyset_page orders by descending fields only")
    fields = [name[1:] for name in order]
    anchor_after = _decode(after, fields) if after else None
    anchor_before = _decode(before, fields) if before and anchor_after is None else None
    if anchor_before is not None:
        rows = list(
            queryset.filter(_beyond(fields, anchor_before, after=False)).order_by(*fields)[
                : per_page + 1
            ]
        )
        more_before = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        number = None
        has_after = True
        has_before = more_before
    else:
        offset = 0
        if anchor_after is not None:
            queryset = queryset.filter(_beyond(fields, anchor_after, after=True))
            number = None
        else:
            number = max(1, page or 1)
            offset = (number - 1) * per_page
        rows = list(queryset.order_by(*order)[offset : offset + per_page + 1])
        has_after = len(rows) > per_page
        rows = rows[:per_page]
        has_before = anchor_after is not None or offset > 0
    return KeysetPage(
        object_list=rows,
        next_cursor=_cursor(rows[-1], fields) if rows and has_after else None,
        previous_cursor=_cursor(rows[0], fields) if rows and has_before else None,
        number=number,
        count=count,
    )
