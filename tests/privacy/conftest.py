import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """The private storage (exports) in a folder of the test's own."""
    storages = {name: dict(options) for name, options in settings.STORAGES.items()}
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")},
    }
    settings.STORAGES = storages
    return tmp_path
