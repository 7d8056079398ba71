from django.http import HttpResponse
from django.shortcuts import render


def health(request):
    """For load balancers: the project's middleware, no query."""
    return HttpResponse("ok", content_type="text/plain")


def help_index(request):
    """``/help/``: the help centre's sections, as the apps register them
    (``core.extensions.help_sections``)."""
    return render(request, "core/help_index.html")
