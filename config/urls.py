from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from congress.api import plans as plan_views
from congress.api import targets as target_views
from congress.api import views as congress_views
from congress.converters import IdConverter
from congress.health import healthz
from notifications.api import views as notification_views
from workflows.api import congresses as congress_wide_views
from workflows.api import consultations as consultation_views
from workflows.api import member_import as member_import_views
from workflows.api import views as workflow_views
from workflows.api.bodies import BodyViewSet
from workflows.api.compare import DocumentCompareView
from workflows.api.documents import DocumentViewSet
from workflows.api.proposals import ProposalViewSet
from workflows.api.search import SearchView
from workflows.calendar_feed import calendar_view
from workflows.web.views import consult as consult_views

router = DefaultRouter()
router.register("users", congress_views.UserViewSet, basename="user")
router.register("organizations", congress_views.OrganizationViewSet, basename="organization")
router.register("congresses", congress_views.CongressViewSet, basename="congress")
router.register("bodies", BodyViewSet, basename="body")
router.register("tasks", workflow_views.TaskViewSet, basename="task")
router.register("documents", DocumentViewSet, basename="document")
router.register("events", notification_views.EventViewSet, basename="event")
router.register("notifications", notification_views.NotificationViewSet, basename="notification")
router.register("plan-templates", plan_views.PlanTemplateViewSet, basename="plan-template")
router.register("resolutions", target_views.ResolutionViewSet, basename="resolution")
router.register("targets", target_views.TargetViewSet, basename="target")
router.register("proposals", ProposalViewSet, basename="proposal")


register_converter(IdConverter, "id")
ID = "<id:pk>"

api = [
    path("auth/token/", congress_views.TokenView.as_view(), name="auth-token"),
    path("me/", notification_views.MeView.as_view(), name="me"),
    path("me/preferences/", notification_views.PreferenceView.as_view(), name="preferences"),
    path(
        "me/calendar-token/", notification_views.CalendarTokenView.as_view(), name="calendar-token"
    ),
    path(
        f"congresses/{ID}/transitions/<slug:name>/",
        congress_wide_views.CongressTransitionView.as_view(),
        name="congress-transition",
    ),
    path(
        f"congresses/{ID}/dashboard/",
        congress_wide_views.CongressDashboardView.as_view(),
        name="congress-dashboard",
    ),
    path(
        f"congresses/{ID}/schedule/",
        congress_wide_views.ScheduleView.as_view(),
        name="congress-schedule",
    ),
    path(
        f"congresses/{ID}/members/import/",
        member_import_views.MembersImportView.as_view(),
        name="congress-members-import",
    ),
    # Plans, hand-over, targets and the progress report (issue 6)
    path(
        f"congresses/{ID}/apply-plan/",
        congress_wide_views.ApplyPlanView.as_view(),
        name="congress-apply-plan",
    ),
    path(
        f"congresses/{ID}/redate-preview/",
        congress_wide_views.RedatePreviewView.as_view(),
        name="congress-redate-preview",
    ),
    path(
        f"congresses/{ID}/redate/",
        congress_wide_views.RedateView.as_view(),
        name="congress-redate",
    ),
    path(
        f"congresses/{ID}/transfer/",
        congress_wide_views.TransferView.as_view(),
        name="congress-transfer",
    ),
    re_path(
        r"^congresses/(?P<pk>[0-9]{1,18})/progress-report\.(?P<fmt>docx|xlsx)$",
        congress_wide_views.ProgressReportView.as_view(),
        name="congress-progress-report",
    ),
    path(
        f"organizations/{ID}/targets/",
        target_views.OrganizationTargetsView.as_view(),
        name="organization-targets",
    ),
    path(
        f"organizations/{ID}/targets.xlsx",
        target_views.OrganizationTargetsExportView.as_view(),
        name="organization-targets-xlsx",
    ),
    re_path(
        r"^documents/(?P<pk>[0-9]{1,18})/compare\.docx$",
        DocumentCompareView.as_view(),
        name="document-compare-docx",
    ),
    # Consultation invitations (issue 15)
    path(
        f"documents/{ID}/invitations/",
        consultation_views.InvitationListView.as_view(),
        name="document-invitations",
    ),
    path(
        f"documents/{ID}/invitations/<id:iid>/",
        consultation_views.InvitationDetailView.as_view(),
        name="document-invitation-detail",
    ),
    path(
        f"documents/{ID}/invitations/<id:iid>/resend/",
        consultation_views.InvitationResendView.as_view(),
        name="document-invitation-resend",
    ),
    path("search/", SearchView.as_view(), name="search"),
    path(
        f"congresses/{ID}/outside-bodies/",
        consultation_views.OutsideBodyListView.as_view(),
        name="congress-outside-bodies",
    ),
    path(
        f"congresses/{ID}/outside-bodies/import/",
        consultation_views.OutsideBodyImportView.as_view(),
        name="congress-outside-bodies-import",
    ),
    path(
        f"congresses/{ID}/outside-bodies/<id:bid>/",
        consultation_views.OutsideBodyDetailView.as_view(),
        name="congress-outside-body-detail",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("calendar/<slug:token>.ics", calendar_view, name="calendar-feed"),
    path("consult/<slug:token>/", consult_views.consult_page, name="consult"),
    path("api/v1/", include(api)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("workflows.web.urls")),
]

handler400 = "congress.api.errors.json_bad_request"
handler403 = "congress.api.errors.json_forbidden"
handler404 = "congress.api.errors.json_not_found"
handler500 = "congress.api.errors.json_server_error"
