from django.conf import settings
from django.db import models


class Upload(models.Model):
    """An image uploaded from the editor (docs/rules.md, "The editor and images in posts"):
    who, when, where it is stored (a name of the default storage) and how large; ``post`` is
    the first saved post whose Markdown shows it. An upload no post shows after
    ``UPLOADS.ORPHAN_HOURS`` is removed, file and row (``manage.py remove_orphan_uploads``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=200, unique=True)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    post = models.ForeignKey(
        "threads.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="uploads"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="upload_user_created")]

    def __str__(self) -> str:
        return self.path
