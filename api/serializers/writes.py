"""What the write endpoints accept and answer (docs/architecture.md, "The API"). These
check only shapes and types, strictly: an unknown key is refused by name. The site's own
rules (lengths, tags, privileges, limits) are checked by the services the views call, as
on the web, and their refusals come back as the same JSON errors (``api.errors``)."""

from rest_framework import serializers

from moderation.models import POST_FLAG_KINDS, Decision


def _has_surrogate(value) -> bool:
    """JSON may spell lone UTF-16 surrogates (``"\\ud800"``), which no database stores."""
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, naming each (``{"fields": {"colour": [...]}}``):
    a misspelt optional field must not be silently ignored. Text that is not valid Unicode
    is refused by field too."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: ["Unknown field."] for key in unknown}, code="unknown_field"
                )
            broken = sorted(key for key, value in data.items() if _has_surrogate(value))
            if broken:
                raise serializers.ValidationError(
                    {key: ["Not valid Unicode text."] for key in broken}, code="invalid"
                )
        return super().to_internal_value(data)


# Generous outer bounds against absurd input; the exact limits are the site's (services).
TEXT_MAX = 100_000


class AskSerializer(StrictSerializer):
    title = serializers.CharField(max_length=1000, trim_whitespace=False)
    body = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=20, allow_empty=True
    )


class AnswerCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)


class CommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=10_000, trim_whitespace=False)


class EditSerializer(StrictSerializer):
    """Omitted fields keep the post's current text; ``base_stamp`` (from an earlier
    response) refuses the edit with 409 if someone else edited since."""

    title = serializers.CharField(max_length=1000, required=False, trim_whitespace=False)
    body = serializers.CharField(max_length=TEXT_MAX, required=False, trim_whitespace=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=20, required=False
    )
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    base_stamp = serializers.CharField(max_length=100, required=False)


class VoteSerializer(StrictSerializer):
    vote = serializers.ChoiceField(choices=["up", "down", "retract"])


class CommentVoteSerializer(StrictSerializer):
    vote = serializers.ChoiceField(choices=["up", "retract"])


class AcceptSerializer(StrictSerializer):
    accept = serializers.BooleanField(default=True)


class FlagSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[kind.value for kind in POST_FLAG_KINDS])
    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CloseVoteSerializer(StrictSerializer):
    reason = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    duplicate = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="",
        help_text="For duplicates: the target question's URL or number.",
    )  # fmt: skip
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EmptySerializer(StrictSerializer):
    """No fields: the action is the URL (a reopen vote)."""


class ReviewSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=Decision.values)
    reason = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    duplicate = serializers.CharField(max_length=300, required=False, allow_blank=True)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)
    flag_kind = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="For `flag`: a flag kind."
    )
    improved_title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    improved_body = serializers.CharField(max_length=30000, required=False, allow_blank=True)
    improved_tags = serializers.CharField(max_length=250, required=False, allow_blank=True)


# Answers


class CreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()


class EditResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["edited", "unchanged", "suggested"])
    id = serializers.IntegerField(help_text="The post's id.")
    base_stamp = serializers.CharField(help_text="Send it with the next edit.")


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    vote = serializers.CharField()


class AcceptResultSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()


class RecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    detail = serializers.CharField()


class ReviewResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    audit_passed = serializers.BooleanField(allow_null=True)


class RefusalBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField())


class RefusalSerializer(serializers.Serializer):
    """Every refusal (``api.errors``)."""

    error = RefusalBodySerializer()
