"""Shared fragments (``threads.cache``): slots are template-owned positions, never text that
happens to look like a marker."""

import pytest
from django.core.cache import cache as shared_cache
from django.core.cache import caches

from threads.cache import (
    fill_slots,
    immutable_cached,
    render_fragment,
    shared_fragment,
    slot,
)


def drawing(text: str, seen: list):
    """A render of ``text`` (standing for user content) followed by the user-menu slot;
    the markers it used are appended to ``seen``."""

    def draw() -> str:
        seen.append(str(slot("usernav")))
        return f"<p>{text}</p>{slot('usernav')}"

    return draw


def test_it_fills_the_slots_a_render_placed():
    fragment = shared_fragment(("test", 1), drawing("hello", []))
    assert fill_slots(fragment, csrf_token="", usernav=lambda: "MENU") == "<p>hello</p>MENU"


def test_a_marker_seen_in_one_render_is_plain_text_in_the_next():
    seen = []
    shared_fragment(("test", 1), drawing("first", seen))
    planted = seen[0]
    second = shared_fragment(("test", 2), drawing(planted, seen))
    assert seen[1] != planted
    assert fill_slots(second, csrf_token="", usernav=lambda: "MENU") == f"<p>{planted}</p>MENU"


def test_a_fragment_rendered_without_the_cache_fills_the_same_way():
    fragment = render_fragment(drawing("draft", []))
    assert fill_slots(fragment, csrf_token="", usernav=lambda: "MENU") == "<p>draft</p>MENU"


def test_a_slot_outside_a_fragment_render_is_refused():
    with pytest.raises(RuntimeError):
        slot("usernav")


def test_a_render_that_alters_a_marker_is_refused_rather_than_served():
    with pytest.raises(RuntimeError):
        render_fragment(lambda: f"<p>{slot('usernav')[:-1]}</p>")  # its end cut off


def test_an_immutable_entry_is_read_from_the_process_before_the_shared_cache(
    local_cache, monkeypatch
):
    computed = []
    assert immutable_cached("test-entry:1", lambda: computed.append(1) or "value") == "value"
    # The shared cache is not asked again while this process keeps its copy.
    monkeypatch.setattr(caches["default"], "get", lambda *args, **kwargs: pytest.fail("asked"))
    assert immutable_cached("test-entry:1", lambda: computed.append(2) or "other") == "value"
    assert computed == [1]


def test_an_immutable_entry_another_process_cached_is_taken_from_the_shared_cache(local_cache):
    shared_cache.set("test-entry:2", "from another host")
    assert immutable_cached("test-entry:2", lambda: "computed here") == "from another host"


def test_without_a_local_cache_the_shared_cache_alone_serves():
    assert immutable_cached("test-entry:3", lambda: "value") == "value"
    assert shared_cache.get("test-entry:3") == "value"
