"""The API: /api/v1/ (reads and writes), the OpenAPI schema and its docs (local files)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import not_found

urlpatterns = [
    path("api/v1/", include("api.urls_reads")),
    path("api/v1/", include("api.urls_writes")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # Last: any other address under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^api/v1/", not_found),
]
