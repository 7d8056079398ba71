"""Read endpoints of /api/v1/."""

urlpatterns = []
