from django.urls import path

from editor import views

urlpatterns = [
    path("editor/preview/", views.preview, name="editor-preview"),
    path("editor/uploads/", views.upload, name="editor-upload"),
]
