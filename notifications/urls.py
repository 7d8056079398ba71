from django.urls import path

from notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/latest/", views.inbox_latest, name="inbox-latest"),
    path("inbox/settings/", views.inbox_settings, name="inbox-settings"),
    path("inbox/unsubscribe/<str:token>/", views.email_unsubscribe, name="email-unsubscribe"),
    path("inbox/read-all/", views.notifications_read_all, name="inbox-read-all"),
    path("inbox/<id:pk>/", views.notification_open, name="notification-open"),
    path("inbox/<id:pk>/read/", views.notification_read, name="notification-read"),
]
