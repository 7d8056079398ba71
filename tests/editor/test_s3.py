"""Uploads on an S3-compatible store (README, "Uploaded files on S3"): the settings read from
the environment, and an upload written to and removed from a bucket (moto's fake S3)."""

from datetime import timedelta

import boto3
import pytest
import time_machine
from django.utils import timezone
from moto import mock_aws

from core.env import s3_media
from core.security import media_sources
from editor.models import Upload
from editor.services import remove_orphan_uploads
from tests.editor.conftest import image_file

BUCKET = "qasite-uploads"


def test_without_a_bucket_the_media_stay_local(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert s3_media() is None


def test_an_s3_compatible_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.net/")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.delenv("AWS_S3_CUSTOM_DOMAIN", raising=False)
    storage, media_url = s3_media()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == "https://s3.example.net"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert media_url == f"https://s3.example.net/{BUCKET}/"
    assert options["custom_domain"] == f"s3.example.net/{BUCKET}"


def test_a_cdn_in_front_of_the_bucket(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "https://media.qasite.example")
    monkeypatch.delenv("AWS_S3_ENDPOINT_URL", raising=False)
    storage, media_url = s3_media()
    assert storage["OPTIONS"]["custom_domain"] == "media.qasite.example"
    assert media_url == "https://media.qasite.example/"


def test_aws_itself(monkeypatch):
    for name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_CUSTOM_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_REGION_NAME", "eu-west-1")
    assert s3_media()[1] == f"https://{BUCKET}.s3.eu-west-1.amazonaws.com/"


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_REGION_NAME", "us-east-1")
    for name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_CUSTOM_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        storage, media_url = s3_media()
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        settings.MEDIA_URL = media_url
        yield s3


@pytest.mark.django_db
def test_an_upload_goes_to_the_bucket_and_the_orphan_job_removes_it(client, uploader, bucket):
    with time_machine.travel(timezone.now() - timedelta(hours=30)):
        response = client.post("/editor/uploads/", {"image": image_file()})
    assert response.status_code == 201, response.content
    upload = Upload.objects.get()
    url = response.json()["url"]
    assert url == f"https://{BUCKET}.s3.us-east-1.amazonaws.com/{upload.path}"
    stored = bucket.get_object(Bucket=BUCKET, Key=upload.path)
    assert stored["ContentType"] == "image/png"
    assert stored["Body"].read()[:8] == b"\x89PNG\r\n\x1a\n"
    # The pages' CSP lets the bucket's images in.
    assert media_sources() == [f"https://{BUCKET}.s3.us-east-1.amazonaws.com"]
    assert (
        f"https://{BUCKET}.s3.us-east-1.amazonaws.com" in client.get("/")["Content-Security-Policy"]
    )

    assert remove_orphan_uploads() == 1
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


@pytest.mark.django_db
def test_a_refused_file_writes_nothing_to_the_bucket(client, uploader, bucket):
    response = client.post("/editor/uploads/", {"image": image_file("x.png", b"not an image")})
    assert response.status_code == 400
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
