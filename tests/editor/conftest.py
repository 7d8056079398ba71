import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.privileges import Privilege
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt: str = "PNG", size=(120, 80), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format=fmt, **save)
    return out.getvalue()


def image_file(name="photo.png", data=None, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


@pytest.fixture
def uploader(client):
    user = UserFactory(reputation=Privilege.UPLOAD_IMAGES.reputation)
    client.force_login(user)
    return user


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
