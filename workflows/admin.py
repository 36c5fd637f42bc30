from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from congress.errors import DomainError
from congress.fsm import available_transitions, required_input
from workflows.models import AuditEntry, Comment, Task
from workflows.services.tasks import task_create, task_transition, task_update


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Task edits and transitions made here go through the same services as the API."""

    list_display = ("title", "body", "assignee", "due_at", "status", "priority")
    list_filter = ("status", "priority", "body__kind", "congress")
    search_fields = ("title", "description")
    autocomplete_fields = ("assignee", "parent", "depends_on")
    readonly_fields = ("status", "version", "completed_at", "created_by", "transition_link")
    list_select_related = ("body", "assignee")
    fields = (
        "congress",
        "body",
        "title",
        "description",
        "assignee",
        "priority",
        "starts_on",
        "due_at",
        "requires_review",
        "parent",
        "depends_on",
        "status",
        "transition_link",
        "version",
        "completed_at",
        "created_by",
    )

    @admin.display(description=_("transitions"))
    def transition_link(self, task):
        if task.pk is None:
            return "-"
        from django.utils.html import format_html

        url = reverse("admin:workflows_task_transition", args=[task.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Change status"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="workflows_task_transition",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data[f]
            for f in form.cleaned_data
            if f not in ("congress", "depends_on")
        }
        try:
            if change:
                task_update(actor=request.user, task_id=obj.pk, **data)
            else:
                created = task_create(actor=request.user, **data)
                obj.pk = created.pk
        except DomainError as error:
            messages.error(request, error.message)

    def save_related(self, request, form, formsets, change):
        try:
            task_update(
                actor=request.user,
                task_id=form.instance.pk,
                depends_on=form.cleaned_data.get("depends_on", []),
            )
        except DomainError as error:
            messages.error(request, error.message)

    def transition_view(self, request, pk):
        task = get_object_or_404(Task.objects.select_related("body"), pk=pk)
        names = available_transitions(task, request.user)
        if request.method == "POST":
            name = request.POST.get("transition", "")
            text = request.POST.get("text", "")
            try:
                task_transition(
                    actor=request.user,
                    task_id=pk,
                    name=name,
                    note=text,
                    reason=text,
                    version=int(request.POST.get("version", 0)) or None,
                )
                messages.success(request, _("Status changed."))
                return redirect("admin:workflows_task_change", pk)
            except DomainError as error:
                messages.error(request, error.message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": task,
            "title": _("Change status"),
            "transitions": [(n, required_input(task, n)) for n in names],
        }
        return TemplateResponse(request, "admin/workflows/task/transition.html", context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never editable."""

    list_display = (
        "at",
        "content_type",
        "object_id",
        "transition",
        "from_state",
        "to_state",
        "actor",
    )
    list_filter = ("transition", "content_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("task", "author", "source", "created_at")
    search_fields = ("text",)
    readonly_fields = ("task", "author", "created_at")
