"""Shared fragments (``threads.cache``): slots are template-owned positions, never text that
happens to look like a marker."""

import pytest

from threads.cache import fill_slots, render_fragment, shared_fragment, slot


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
