from django import forms
from django.contrib import admin, messages

from congress.admin import ReadOnlyInline
from congress.errors import DomainError
from congress.models import Body, Membership
from workflows.admin_transitions import TransitionAdminMixin
from workflows.models import (
    AuditEntry,
    Comment,
    Document,
    DocumentKindSettings,
    DocumentVersion,
    Task,
)
from workflows.services.bodies import body_create, body_update
from workflows.services.documents import EDITABLE_FIELDS as DOCUMENT_FIELDS
from workflows.services.documents import document_create, document_transition, document_update
from workflows.services.memberships import membership_remove, membership_set
from workflows.services.tasks import EDITABLE_FIELDS, task_create, task_transition, task_update


class ServiceForm(forms.ModelForm):
    """An admin form whose validation makes the change through the service: a change the
    service refuses is an error on the form, so nothing is saved and the admin never says it
    was. The admin's own transaction holds the change until the page has been answered."""

    actor = None  # the request's user, set by ServiceAdmin.get_form
    saved = None  # the object as the service left it

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.saved = self.apply(cleaned)
            except DomainError as error:
                self._refused(error)
        return cleaned

    def apply(self, data: dict):
        raise NotImplementedError

    def _refused(self, error: DomainError) -> None:
        fields = error.details.get("fields") or {}
        for name, messages_ in fields.items():
            for message in messages_:
                self.add_error(name if name in self.fields else None, message)
        if not fields:
            self.add_error(None, error.message)


class ServiceAdmin(admin.ModelAdmin):
    """Saves what the form's service call wrote; the admin itself writes nothing."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_form(self, request, form, change):
        return form.saved

    def save_model(self, request, obj, form, change):
        pass  # written by the service in the form's clean()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class TaskForm(ServiceForm):
    def apply(self, data: dict) -> Task:
        fields = {name: data[name] for name in (*EDITABLE_FIELDS, "depends_on") if name in data}
        if self.instance.pk is None:
            return task_create(actor=self.actor, congress=data.get("congress"), **fields)
        return task_update(
            actor=self.actor, task_id=self.instance.pk, congress=data.get("congress"), **fields
        )


class DocumentForm(ServiceForm):
    def apply(self, data: dict) -> Document:
        fields = {name: data[name] for name in ("body", *DOCUMENT_FIELDS) if name in data}
        if self.instance.pk is None:
            return document_create(actor=self.actor, congress=data.get("congress"), **fields)
        return document_update(
            actor=self.actor,
            document_id=self.instance.pk,
            congress=data.get("congress"),
            **fields,
        )


@admin.register(Task)
class TaskAdmin(TransitionAdminMixin, ServiceAdmin):
    """Task edits and transitions made here go through the same services as the API."""

    form = TaskForm
    list_display = ("title", "body", "assignee", "due_at", "status", "priority")
    list_filter = ("status", "priority", "body__kind", "congress")
    search_fields = ("title", "description")
    autocomplete_fields = ("assignee", "parent", "depends_on")
    readonly_fields = ("status", "version", "completed_at", "created_by", "transition_link")
    list_select_related = ("body", "assignee")
    fields = (
        "congress",
        *EDITABLE_FIELDS,
        "depends_on",
        "status",
        "transition_link",
        "version",
        "completed_at",
        "created_by",
    )

    transition_service = staticmethod(task_transition)
    id_field = "task_id"


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
    list_display = ("task", "version", "author", "source", "section", "disposition", "created_at")
    list_filter = ("disposition",)
    search_fields = ("text", "source", "section")
    readonly_fields = ("task", "version", "author", "answered_by", "answered_at", "created_at")
    list_select_related = ("task", "version__document", "author")


class DocumentVersionInline(admin.TabularInline):
    """Versions are added through the API (the upload check runs there); here they are read."""

    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ("number", "round", "file", "file_type", "size", "sha256", "author", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(TransitionAdminMixin, ServiceAdmin):
    """Document edits and transitions made here go through the same services as the API."""

    form = DocumentForm
    list_display = ("title", "kind", "body", "status", "round", "rapporteur", "due_at")
    list_filter = ("status", "kind", "congress")
    search_fields = ("title",)
    autocomplete_fields = ("rapporteur",)
    list_select_related = ("body", "rapporteur")
    readonly_fields = (
        "status",
        "transition_link",
        "round",
        "consultation_closes_at",
        "consultations_held",
        "status_reason",
        "approved_at",
        "version",
        "created_by",
    )
    fields = ("congress", "body", "kind", "title", "rapporteur", "due_at", *readonly_fields)
    inlines = [DocumentVersionInline]

    transition_service = staticmethod(document_transition)
    id_field = "document_id"

    def transition_extra(self, request) -> dict:
        return {"consultation_closes_at": _closing_date(request.POST.get("closes_at", ""))}


def _closing_date(value: str):
    """The admin form's local date and time (YYYY-MM-DDTHH:MM) as an aware datetime."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@admin.register(DocumentKindSettings)
class DocumentKindSettingsAdmin(admin.ModelAdmin):
    """Which review steps each kind of document goes through, and whether it goes out for
    comment. Changes apply to the next step a document takes."""

    list_display = (
        "kind",
        "subcommittee_review",
        "steering_review",
        "standing_committee_review",
        "superior_review",
        "consultation",
    )
    list_editable = (
        "subcommittee_review",
        "steering_review",
        "standing_committee_review",
        "superior_review",
        "consultation",
    )


# Bodies and memberships: who sees what hangs on them, so the admin changes them through the
# same services as the pages (audited, the live layer told whose rights changed at once).


class MembershipInline(ReadOnlyInline):
    """A body's members, read here; added, changed and removed on the membership pages."""

    model = Membership
    fields = ("user", "role")
    readonly_fields = fields


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    """Saved by the services (the form has checked the input, the one-of-a-kind rule
    included): staff's changes take effect at once, audited."""

    list_display = ("name", "kind", "congress", "confidential")
    list_filter = ("kind", "confidential", "congress")
    search_fields = ("name",)
    fields = ("congress", "kind", "name", "parent", "confidential")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        return ("congress",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        # Members' rights and the work's place hang on a body: it is not deleted here.
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in ("kind", "name", "parent", "confidential")}
        if change:
            saved = body_update(actor=request.user, body_id=obj.pk, **fields).body
        else:
            saved = body_create(actor=request.user, congress=obj.congress, **fields)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The members are read here (MembershipInline) and changed on their own pages.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Saved and deleted by the services: audited, and the live layer told at once."""

    list_display = ("user", "body", "role")
    list_filter = ("role", "body__kind")
    search_fields = ("user__username", "user__last_name", "body__name")
    autocomplete_fields = ("user", "body")

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person in one body: another person or body is another one.
        return ("user", "body") if obj else ()

    def save_model(self, request, obj, form, change):
        saved = membership_set(actor=request.user, body=obj.body, user=obj.user, role=obj.role)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        try:
            membership_remove(actor=request.user, body=obj.body, user_id=obj.user_id)
        except DomainError as error:
            request._membership_refusals = [*getattr(request, "_membership_refusals", []), error]

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("body", "user"):
            self.delete_model(request, membership)

    def response_delete(self, request, obj_display, obj_id):
        response = super().response_delete(request, obj_display, obj_id)
        self._tell_refusals(request)
        return response

    def response_action(self, request, queryset):
        response = super().response_action(request, queryset)
        self._tell_refusals(request)
        return response

    def _tell_refusals(self, request) -> None:
        refusals = getattr(request, "_membership_refusals", [])
        if refusals:
            storage = messages.get_messages(request)
            storage.used = True  # the "deleted" message would not be true
            list(storage)
            for error in refusals:
                self.message_user(request, error.message, level=messages.ERROR)
