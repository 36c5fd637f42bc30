from django.contrib.auth import views as auth_views
from django.urls import path, register_converter, reverse_lazy

from congress.converters import IdConverter
from workflows.calendar_feed import calendar_view
from workflows.web.views import (
    account,
    calendar,
    congress_pages,
    consult,
    dashboard,
    document_new,
    documents,
    invitations,
    member_import,
    notifications,
    oversight,
    pilot,
    plan,
    proposals,
    search,
    setup,
    superior,
    superior_plans,
    superior_reviewers,
    targets,
    task_edit,
    tasks,
    timeline,
)
from workflows.web.views.base import in_user_language

register_converter(IdConverter, "wid")

urlpatterns = [
    # Links that carry their own token instead of a login.
    path("calendar/<slug:token>.ics", calendar_view, name="calendar-feed"),
    path("consult/<slug:token>/", consult.consult_page, name="consult"),
    path("", dashboard.home, name="web-home"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        in_user_language(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "account/password/done/",
        in_user_language(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "account/password/set/<uidb64>/<token>/",
        in_user_language(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="web/account/password_set.html",
                success_url=reverse_lazy("password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/account/password_set_done.html"
        ),
        name="password_reset_complete",
    ),
    path("account/language/", account.language_set, name="web-language"),
    path("account/tokens/", account.tokens_page, name="web-account-tokens"),
    path("account/tokens/revoke/", account.token_revoke, name="web-account-token-revoke"),
    path("congresses/", dashboard.congress_choose, name="web-congresses"),
    path("congresses/new/", setup.congress_new_page, name="web-congress-new"),
    path("congresses/<wid:pk>/", dashboard.congress_dashboard_page, name="web-dashboard"),
    path("congresses/<wid:pk>/setup/", setup.congress_setup_page, name="web-setup"),
    path("congresses/<wid:pk>/bodies/", setup.bodies_page, name="web-bodies"),
    path(
        "congresses/<wid:pk>/members/import/",
        member_import.members_import_page,
        name="web-members-import",
    ),
    path(
        "congresses/<wid:pk>/members/import/template.xlsx",
        member_import.template_xlsx,
        name="web-members-import-template",
    ),
    path("superior/plans/", superior_plans.superior_plans_page, name="web-superior-plans"),
    path(
        "congresses/<wid:pk>/superior-reviewers/",
        superior_reviewers.superior_reviewers_page,
        name="web-superior-reviewers",
    ),
    path("proposals/", proposals.proposals_page, name="web-proposals"),
    path("proposals/confirm/", proposals.proposals_confirm_page, name="web-proposals-confirm"),
    path("proposals/<wid:pk>/", proposals.proposal_page, name="web-proposal"),
    path(
        "proposals/<wid:pk>/transitions/<slug:name>/",
        proposals.proposal_transition_page,
        name="web-proposal-transition",
    ),
    path("congresses/<wid:pk>/timeline/", timeline.timeline_page, name="web-timeline"),
    path("congresses/<wid:pk>/plan/", plan.plan_page, name="web-plan"),
    path("congresses/<wid:pk>/pilot/", pilot.pilot_page, name="web-pilot"),
    path("congresses/<wid:pk>/edit/", congress_pages.congress_edit_page, name="web-congress-edit"),
    path(
        "congresses/<wid:pk>/transitions/<slug:name>/",
        congress_pages.congress_transition_page,
        name="web-congress-transition",
    ),
    path("congresses/<wid:pk>/targets/", targets.targets_page, name="web-targets"),
    path("tasks/", tasks.task_list_page, name="web-tasks"),
    path("tasks/new/", tasks.task_create_page, name="web-task-create"),
    path("tasks/<wid:pk>/", tasks.task_page, name="web-task"),
    path("tasks/<wid:pk>/edit/", task_edit.task_edit_page, name="web-task-edit"),
    path("tasks/<wid:pk>/reassign/", tasks.task_reassign_page, name="web-task-reassign"),
    path("tasks/<wid:pk>/subtasks/", tasks.task_subtask_page, name="web-task-subtask"),
    path(
        "tasks/<wid:pk>/transitions/<slug:name>/",
        tasks.task_transition_page,
        name="web-task-transition",
    ),
    path("tasks/<wid:pk>/comments/", tasks.task_comment_page, name="web-task-comment"),
    path("documents/", documents.document_list_page, name="web-documents"),
    path("documents/new/", document_new.document_new_page, name="web-document-new"),
    path("documents/<wid:pk>/", documents.document_page, name="web-document"),
    path(
        "documents/<wid:pk>/transitions/<slug:name>/",
        documents.document_transition_page,
        name="web-document-transition",
    ),
    path("documents/<wid:pk>/versions/", documents.version_add_page, name="web-version-add"),
    path(
        "documents/<wid:pk>/versions/<wid:number>/file/",
        documents.version_file,
        name="web-version-file",
    ),
    path("documents/<wid:pk>/comments/", documents.comment_add_page, name="web-doc-comment"),
    path(
        "documents/<wid:pk>/comments/<wid:cid>/answer/",
        documents.comment_answer_page,
        name="web-doc-comment-answer",
    ),
    path(
        "documents/<wid:pk>/comment-summary.<str:fmt>",
        documents.comment_summary,
        name="web-comment-summary",
    ),
    path("documents/<wid:pk>/compare.docx", documents.compare_docx, name="web-compare-docx"),
    path("search/", search.search_page, name="web-search"),
    path("oversight/", oversight.oversight_page, name="web-oversight"),
    # Consultation with outside organizations, for the drafters (issue 15)
    path(
        "documents/<wid:pk>/invitations/",
        invitations.invitation_add_page,
        name="web-invitation-add",
    ),
    path(
        "documents/<wid:pk>/invitations/<wid:iid>/revoke/",
        invitations.invitation_revoke_page,
        name="web-invitation-revoke",
    ),
    path(
        "documents/<wid:pk>/invitations/<wid:iid>/resend/",
        invitations.invitation_resend_page,
        name="web-invitation-resend",
    ),
    path(
        "documents/<wid:pk>/opinions/<wid:oid>/file/",
        invitations.opinion_file,
        name="web-opinion-file",
    ),
    path(
        "documents/<wid:pk>/consultation/close/",
        invitations.consultation_close_page,
        name="web-consultation-close",
    ),
    path(
        "documents/<wid:pk>/outside-bodies/",
        invitations.outside_body_add_page,
        name="web-outside-body-add",
    ),
    path(
        "documents/<wid:pk>/outside-bodies/import/",
        invitations.outside_bodies_import_page,
        name="web-outside-bodies-import",
    ),
    path(
        "documents/<wid:pk>/outside-bodies/<wid:bid>/remove/",
        invitations.outside_body_remove_page,
        name="web-outside-body-remove",
    ),
    # The superior level's review of the congresses under it (issue 22)
    path("superior/reviews/", superior.reviews_page, name="web-superior-reviews"),
    path("superior/reviews/<wid:pk>/", superior.review_page, name="web-superior-review"),
    path(
        "superior/reviews/<wid:pk>/transitions/<slug:name>/",
        superior.review_transition_page,
        name="web-superior-transition",
    ),
    path("calendar/", calendar.calendar_page, name="web-calendar"),
    path("calendar/new-link/", calendar.calendar_link_rotate, name="web-calendar-rotate"),
    path("notifications/", notifications.inbox_page, name="web-notifications"),
    path(
        "notifications/preferences/",
        notifications.preferences_page,
        name="web-preferences",
    ),
    path("notifications/read-all/", notifications.read_all, name="web-notifications-read-all"),
    path("notifications/<wid:pk>/read/", notifications.mark_read, name="web-notification-read"),
    path("notifications/<wid:pk>/open/", notifications.open_link, name="web-notification-open"),
]
