"""The floor's single URL and view: a short string, as the site's `/health/` answers."""

from django.http import HttpResponse
from django.urls import path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", floor)]
