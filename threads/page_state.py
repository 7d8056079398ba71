"""The states that validate cached anonymous pages, read from the shared cache when there is
one (docs/architecture.md, "Page states in the cache").

Without a shared cache every hit asks the database (``selectors.question_page_state``,
``selectors.newest_change``). With Redis, a state read from the database is stored beside
the pages together with the generation tokens it was read under, and reused while they are
current: one cache round trip instead of a database query. Every change that moves a
question's ``version`` or any post's ``changed_at`` goes through ``changed``, which draws
new tokens once its transaction has committed, so the next request on any host reads the
state again. A stored state is kept a minute at most (``STATE_SECONDS``) and a question's
only until the next of its thread's locks ends, so even a change whose tokens were lost
(Redis unreachable at that moment) shows within a minute.

A per-process cache cannot do this: each process would keep its own tokens and never see
the others' changes, so there the database is asked every time.
"""

import secrets
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from threads import selectors

STATE_SECONDS = 60
# A generation token outlives the states read under it; once gone, a new one is drawn and
# the states stored under the old one are read again.
TOKEN_SECONDS = 3600
ANY_QUESTION = "page-gen:questions"
LISTS = "page-gen:lists"


def _question_token_key(pk: int) -> str:
    return f"page-gen:question:{pk}"


def _shared() -> bool:
    return not isinstance(caches["default"], LocMemCache)


def changed(question_ids: Iterable[int] | None = ()) -> None:
    """After this transaction commits, cached pages showing the questions of
    ``question_ids`` (None: any question) and the lists are read again. Call it wherever a
    question's ``version`` or a post's ``changed_at`` moves."""
    if not _shared():
        return
    keys = [LISTS]
    keys += [ANY_QUESTION] if question_ids is None else map(_question_token_key, question_ids)
    transaction.on_commit(lambda: _renew(keys), robust=True)


def _renew(keys: list[str]) -> None:
    token = secrets.token_hex(8)
    cache.set_many(dict.fromkeys(keys, token), TOKEN_SECONDS)


def question_state(pk: int) -> selectors.QuestionPageState | None:
    """``selectors.question_page_state`` of a question, from the shared cache while current."""
    return _current(
        f"page-state:question:{pk}",
        [ANY_QUESTION, _question_token_key(pk)],
        lambda: selectors.question_page_state(pk=pk),
        lambda state: state.next_unlock.timestamp() if state.next_unlock else None,
    )


def newest_change() -> datetime | None:
    """``selectors.newest_change`` (what validates the lists), from the shared cache while
    current."""
    return _current("page-state:lists", [LISTS], selectors.newest_change, lambda newest: None)


def _current(key: str, token_keys: list[str], read: Callable, ends: Callable):
    """The value ``read()`` returns now: stored under ``key`` with the tokens of
    ``token_keys`` it was read under, and reused while they are the current ones, for
    ``STATE_SECONDS`` at most and not past ``ends(value)`` (a timestamp, or None). Nothing
    is stored for None (a missing question: its view answers). Without a shared cache,
    ``read()`` every time."""
    if not _shared():
        return read()
    found = cache.get_many([*token_keys, key])
    tokens = [found.get(name) for name in token_keys]
    stored, now = found.get(key), time.time()
    if stored is not None and stored[0] == tokens and now < stored[1]:
        return stored[2]
    if None in tokens:
        # A state stored under no token could never be told apart from a newer one.
        for name, token in zip(token_keys, tokens, strict=True):
            if token is None:
                cache.add(name, secrets.token_hex(8), TOKEN_SECONDS)
        found = cache.get_many(token_keys)
        tokens = [found.get(name) for name in token_keys]
    value = read()
    if value is not None and None not in tokens:
        until = min(now + STATE_SECONDS, ends(value) or now + STATE_SECONDS)
        cache.set(key, (tokens, until, value), STATE_SECONDS)
    return value
