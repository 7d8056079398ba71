"""docs/rules.md names every setting of ``settings.QASITE``, so a new threshold or limit
cannot arrive undocumented."""

from pathlib import Path

from django.conf import settings

RULES = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def _leaf_names(values: dict) -> set[str]:
    names = set()
    for name, value in values.items():
        names |= _leaf_names(value) if isinstance(value, dict) else {name}
    return names


def test_rules_md_names_every_setting():
    text = RULES.read_text()
    missing = sorted(name for name in _leaf_names(settings.QASITE) if f"`{name}`" not in text)
    assert not missing, f"docs/rules.md does not mention: {', '.join(missing)}"
