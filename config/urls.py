"""The project's URLs: each app's own url modules, the API schema and the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from congress.api import urls as congress_api
from congress.health import healthz
from notifications.api import urls as notifications_api
from workflows.api import urls as workflows_api

# One API root at /api/v1/ listing every app's viewsets.
router = DefaultRouter()
for app_api in (congress_api, notifications_api, workflows_api):
    router.registry.extend(app_api.router.registry)

api = [
    path("", include(congress_api)),
    path("", include(notifications_api)),
    path("", include(workflows_api)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("workflows.web.urls")),
]

handler400 = "congress.api.errors.json_bad_request"
handler403 = "congress.api.errors.json_forbidden"
handler404 = "congress.api.errors.json_not_found"
handler500 = "congress.api.errors.json_server_error"
