"""The OpenAPI schema's own parts: the description of ``Authorization: Bearer`` tokens
(drf-spectacular finds this extension once imported, in ``ApiConfig.ready()``) and the read
endpoints' ``AutoSchema``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance

from api.serializers.reads import SparseFieldsMixin


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "qst_…",
            "description": "A personal access token, made on your profile's API tokens page.",
        }


class ReadSchema(AutoSchema):
    """The read endpoints' schema: an object whose serializer allows ``?fields=`` may hold
    only some of its fields, so none is declared required."""

    def _map_basic_serializer(self, serializer, direction):
        mapped = super()._map_basic_serializer(serializer, direction)
        if isinstance(force_instance(serializer), SparseFieldsMixin):
            mapped.pop("required", None)
        return mapped
