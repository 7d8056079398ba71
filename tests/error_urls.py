"""The site's URLconf plus a view that fails, for the error page tests."""

from django.urls import path

from qasite.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_view), *urlpatterns]
