"""The one sanctioned way to take an erased member's names out of the records that copied
them as text (docs/architecture.md, "The redaction registry").

Records that are never changed (the moderation log, moderator messages, annotations) and
records that keep history (revisions, close notices, notifications) hold names as text: who
acted, who voted, who wrote. When an account is erased, every app that stores names
registers a *redactor* here in its ``AppConfig.ready()``; ``redact_names`` runs them all,
inside ``core.append_only.redaction()`` (the only way an append-only row's ``redactable``
fields change), and writes one ``AccountEvent`` with what each redactor changed. A lower
app never imports a higher one: the registry is declared here, low, and filled from above.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from core.append_only import redaction


@dataclass(frozen=True)
class Redaction:
    """What a redactor replaces: the member (``user_id``), the names they were known by
    (``names``: username and display name as they were) and the ``pseudonym``."""

    user_id: int
    names: tuple[str, ...]
    pseudonym: str

    def text(self, value: str) -> str:
        """``value`` with each of the names, as a whole word, replaced by the pseudonym."""
        if not value:
            return value
        for name in self.names:
            value = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", self.pseudonym, value)
        return value

    def json(self, value: Any) -> Any:
        """A JSON value with the member's name replaced where it names a person: a value
        under a name key (``name``, ``…_name``, ``voter``) that is exactly one of the
        names, unless the key's id beside it (``id``, ``…_id``) names someone else. Other
        values (a close reason's name, a kind) are kept whatever they say."""
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if not isinstance(value, dict):
            return value
        redacted = {}
        for key, item in value.items():
            if isinstance(item, str) and _is_name_key(key) and item in self.names:
                # No id beside it: a name alone (a close comment's voter). An id of None is
                # someone known only by name (an import), not this member.
                owner = value.get(_id_key(key), self.user_id)
                redacted[key] = self.pseudonym if owner == self.user_id else item
            else:
                redacted[key] = self.json(item)
        return redacted

    def mentions(self) -> list[str]:
        """Strings to look for in text and JSON columns (as written and as JSON escapes
        them), to select the candidate rows in the database before redacting in Python."""
        forms = set()
        for name in self.names:
            forms.add(name)
            forms.add(_json_escaped(name))
        return sorted(forms)


def _is_name_key(key: str) -> bool:
    return key in ("name", "voter") or key.endswith("_name")


def _id_key(key: str) -> str:
    return "id" if key == "name" else key.removesuffix("_name") + "_id"


def _json_escaped(name: str) -> str:
    return json.dumps(name)[1:-1]


Redactor = Callable[[Redaction], int]
_REDACTORS: dict[str, Redactor] = {}


def register(key: str, redactor: Redactor) -> None:
    """Add ``redactor(redaction) -> rows changed`` (from ``AppConfig.ready()``)."""
    if key in _REDACTORS:
        raise RuntimeError(f"Redactor {key!r} is already registered.")
    _REDACTORS[key] = redactor


def registered() -> list[str]:
    return sorted(_REDACTORS)


@transaction.atomic
def redact_names(*, user, names: Iterable[str], pseudonym: str, actor=None) -> dict[str, int]:
    """Replace ``names`` (the member's former username and display name) by ``pseudonym``
    in every registered record, and log it. Returns the rows changed per redactor."""
    from accounts.models import AccountEvent, AccountEventKind

    wanted = tuple(sorted({name for name in names if name and name != pseudonym}, key=len))[::-1]
    job = Redaction(user_id=user.pk, names=wanted, pseudonym=pseudonym)
    changed = {}
    with redaction():
        for key in sorted(_REDACTORS):
            changed[key] = _REDACTORS[key](job) if wanted else 0
    AccountEvent.objects.create(
        user=user,
        kind=AccountEventKind.NAMES_REDACTED,
        actor=actor,
        details={"pseudonym": pseudonym, "names": len(wanted), "rows": changed},
    )
    return changed


def redact_rows(
    queryset,
    job: Redaction,
    *,
    text: Iterable[str] = (),
    json: Iterable[str] = (),
    changed_pks: list | None = None,
) -> int:
    """Redact the ``text`` fields (each name as a whole word: give only rows about the member,
    so nobody else's text is touched) and the ``json`` fields (``Redaction.json``) of the
    rows of ``queryset`` that mention one of the names: the candidates are selected in one
    query, and each row changed is one ``update`` through the model's manager, so
    append-only models check the fields.
    Columns that hold nothing but the member's name are better set by their foreign key
    (``filter(actor=…).update(actor_name=pseudonym)``). Returns the rows changed, and adds
    their keys to ``changed_pks`` when given."""
    text, json_fields = tuple(text), tuple(json)
    if not job.names:
        return 0
    mention = Q()
    for field in text + json_fields:
        for form in job.mentions():
            mention |= Q(**{f"{field}__icontains": form})
    changed = 0
    model = queryset.model
    rows = queryset.filter(mention).values("pk", *text, *json_fields)
    for row in rows.iterator(chunk_size=500):
        values = {field: job.text(row[field]) for field in text}
        values.update({field: job.json(row[field]) for field in json_fields})
        values = {field: value for field, value in values.items() if value != row[field]}
        if values:
            changed += model._default_manager.filter(pk=row["pk"]).update(**values)
            if changed_pks is not None:
                changed_pks.append(row["pk"])
    return changed
