"""The core's API under /api/v1/: `router`'s viewsets join the one API root of config/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congress.api import plans, targets, views
from congress.converters import ID

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("congresses", views.CongressViewSet, basename="congress")
router.register("plan-templates", plans.PlanTemplateViewSet, basename="plan-template")
router.register("resolutions", targets.ResolutionViewSet, basename="resolution")
router.register("targets", targets.TargetViewSet, basename="target")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path(
        f"organizations/{ID}/targets/",
        targets.OrganizationTargetsView.as_view(),
        name="organization-targets",
    ),
    path(
        f"organizations/{ID}/targets.xlsx",
        targets.OrganizationTargetsExportView.as_view(),
        name="organization-targets-xlsx",
    ),
]
