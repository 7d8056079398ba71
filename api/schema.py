"""The OpenAPI description of ``Authorization: Bearer`` tokens (drf-spectacular finds this
extension once imported, in ``ApiConfig.ready()``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
