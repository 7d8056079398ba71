"""Keyset pagination for long lists: "Next" continues after the last row's sort key, so a
page deep down costs what the first page costs (an index range scan, no OFFSET)."""

import base64
import json
import math
import re
from dataclasses import dataclass, field
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


def page_size(value: str | None, *, sizes, default: int) -> int:
    """The page size a query string asks for (``?pagesize=``), if it is one of ``sizes``;
    anything else falls back to ``default``, never an error."""
    if value is not None and PAGE_NUMBER_RE.fullmatch(value) and int(value) in sizes:
        return int(value)
    return default


@dataclass
class NumberedPage(KeysetPage):
    """A ``KeysetPage`` with page numbers: ``num_pages`` from the (cached) count, the
    numbers to link (``None`` for a gap) and the numbers the Prev and Next cursors lead to."""

    num_pages: int = 1
    reachable: int = 1
    links: list = field(default_factory=list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number else None

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number and self.number > 1 else None


def _page_links(current: int, last: int, *, around: int = 2) -> list[int | None]:
    shown = {1, last, *range(current - around, current + around + 1)}
    numbers = sorted(number for number in shown if 1 <= number <= last)
    links: list[int | None] = []
    for number in numbers:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def numbered_page(
    queryset: QuerySet,
    *,
    order: tuple[str, ...],
    per_page: int,
    count: int,
    max_page: int,
    page: str | None = None,
    after: str | None = None,
    before: str | None = None,
) -> NumberedPage:
    """Numbered pages over keyset pagination (docs/rules.md, "Question lists"). A page
    number alone is read with an offset, so only the first ``max_page`` pages have numbered
    links and a larger number shows page ``max_page`` (a number past the last page shows
    the last page, as Django's ``Paginator.get_page`` does). Prev and Next carry a cursor
    (no offset, as cheap at any depth) and the number of the page they lead to."""
    num_pages = max(1, math.ceil(count / per_page))
    reachable = min(num_pages, max_page)
    number = min(page_number(page), reachable)
    found = keyset_page(
        queryset, order=order, per_page=per_page, after=after, before=before, page=number
    )
    if found.number is None:  # a cursor was followed: the number it carries, if any
        found.number = page_number(page) if page is not None else None
    return NumberedPage(
        object_list=found.object_list,
        next_cursor=found.next_cursor,
        previous_cursor=found.previous_cursor,
        number=found.number,
        count=count,
        num_pages=num_pages,
        reachable=reachable,
        links=_page_links(found.number or 1, reachable) if reachable > 1 else [],
    )
