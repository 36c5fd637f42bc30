"""The inbox's API under /api/v1/: `router`'s viewsets join the one API root of config/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("me/calendar-token/", views.CalendarTokenView.as_view(), name="calendar-token"),
]
