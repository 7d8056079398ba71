"""The forms of an HTML page as a browser would submit them (bench/locustfile.py,
bench/two_hosts.py)."""

import random
import re
from html.parser import HTMLParser


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields a browser would send (hidden
    inputs, the first choice of each radio group, text areas empty, buttons by name)."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": {},
                "radios": {},
                "buttons": [],
            }
            self.forms.append(self._current)
            return
        if self._current is None or not attrs.get("name"):
            return
        name, kind = attrs["name"], attrs.get("type", "text")
        if tag == "input" and kind == "radio":
            self._current["radios"].setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "input" and kind not in ("submit", "checkbox"):
            self._current["fields"][name] = attrs.get("value", "")
        elif tag == "textarea":
            self._current["fields"].setdefault(name, "")
        elif tag == "button" or (tag == "input" and kind == "submit"):
            self._current["buttons"].append((name, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None

    def find(self, action_pattern: str) -> dict | None:
        matching = [form for form in self.forms if re.search(action_pattern, form["action"])]
        return random.choice(matching) if matching else None
