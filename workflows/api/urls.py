"""The workflows' API under /api/v1/: `router`'s viewsets join the one API root of
config/urls.py."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from congress.converters import ID
from workflows.api import (
    bodies,
    compare,
    congresses,
    consultations,
    documents,
    member_import,
    oversight,
    plan_directives,
    proposals,
    search,
    superior,
    superior_reviewers,
    views,
)

router = SimpleRouter()
router.register("bodies", bodies.BodyViewSet, basename="body")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("proposals", proposals.ProposalViewSet, basename="proposal")
# The superior level's review of the congresses under it (issue 22)
router.register("superior/reviews", superior.SuperiorReviewViewSet, basename="superior-review")

urlpatterns = [
    path(
        f"congresses/{ID}/transitions/<slug:name>/",
        congresses.CongressTransitionView.as_view(),
        name="congress-transition",
    ),
    path(
        f"congresses/{ID}/dashboard/",
        congresses.CongressDashboardView.as_view(),
        name="congress-dashboard",
    ),
    path(
        f"congresses/{ID}/schedule/",
        congresses.ScheduleView.as_view(),
        name="congress-schedule",
    ),
    path(
        f"organizations/{ID}/plan-directives/",
        plan_directives.PlanDirectivesView.as_view(),
        name="organization-plan-directives",
    ),
    path(
        f"congresses/{ID}/superior-reviewers/",
        superior_reviewers.SuperiorReviewersView.as_view(),
        name="congress-superior-reviewers",
    ),
    path(
        f"congresses/{ID}/superior-reviewers/<id:reviewer_id>/",
        superior_reviewers.SuperiorReviewerView.as_view(),
        name="congress-superior-reviewer",
    ),
    path(
        f"congresses/{ID}/members/import/",
        member_import.MembersImportView.as_view(),
        name="congress-members-import",
    ),
    # Plans, hand-over, targets and the progress report (issue 6)
    path(
        f"congresses/{ID}/apply-plan/",
        congresses.ApplyPlanView.as_view(),
        name="congress-apply-plan",
    ),
    path(
        f"congresses/{ID}/redate-preview/",
        congresses.RedatePreviewView.as_view(),
        name="congress-redate-preview",
    ),
    path(
        f"congresses/{ID}/redate/",
        congresses.RedateView.as_view(),
        name="congress-redate",
    ),
    path(
        f"congresses/{ID}/transfer/",
        congresses.TransferView.as_view(),
        name="congress-transfer",
    ),
    re_path(
        r"^congresses/(?P<pk>[0-9]{1,18})/progress-report\.(?P<fmt>docx|xlsx)$",
        congresses.ProgressReportView.as_view(),
        name="congress-progress-report",
    ),
    re_path(
        r"^documents/(?P<pk>[0-9]{1,18})/compare\.docx$",
        compare.DocumentCompareView.as_view(),
        name="document-compare-docx",
    ),
    # Consultation invitations (issue 15)
    path(
        f"documents/{ID}/invitations/",
        consultations.InvitationListView.as_view(),
        name="document-invitations",
    ),
    path(
        f"documents/{ID}/invitations/<id:iid>/",
        consultations.InvitationDetailView.as_view(),
        name="document-invitation-detail",
    ),
    path(
        f"documents/{ID}/invitations/<id:iid>/resend/",
        consultations.InvitationResendView.as_view(),
        name="document-invitation-resend",
    ),
    path("search/", search.SearchView.as_view(), name="search"),
    # The superior level follows the congresses under an organization (issue 22, flow 3)
    path(
        f"organizations/{ID}/oversight/",
        oversight.OversightView.as_view(),
        name="organization-oversight",
    ),
    re_path(
        r"^organizations/(?P<pk>[0-9]{1,18})/oversight\.xlsx$",
        oversight.OversightExportView.as_view(),
        name="organization-oversight-xlsx",
    ),
    path(
        f"congresses/{ID}/outside-bodies/",
        consultations.OutsideBodyListView.as_view(),
        name="congress-outside-bodies",
    ),
    path(
        f"congresses/{ID}/outside-bodies/import/",
        consultations.OutsideBodyImportView.as_view(),
        name="congress-outside-bodies-import",
    ),
    path(
        f"congresses/{ID}/outside-bodies/<id:bid>/",
        consultations.OutsideBodyDetailView.as_view(),
        name="congress-outside-body-detail",
    ),
]
