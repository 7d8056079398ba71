"""Write endpoints of /api/v1/: each calls the same service as the web page."""

urlpatterns = []
