from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from congress import accounts, offices
from congress.auth_forms import AdminLoginForm
from congress.models import (
    Body,
    CalendarDay,
    Congress,
    Organization,
    OrganizationOffice,
    PlanItem,
    PlanTemplate,
    Resolution,
    Target,
    TargetResult,
    User,
)
from congress.validation import checks_for


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ("language",)}))
    list_display = ("username", "first_name", "last_name", "email", "language", "is_staff")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            accounts.user_deactivate(actor=request.user, user=obj)


admin.site.login_form = AdminLoginForm  # a refused login says how long to wait


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "successor")
    list_filter = ("level",)
    search_fields = ("name",)


class CheckedInputMixin:
    """Dates keep to 2000-2100 and one-line texts to one line (congress.validation), as
    through the API."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.validators += [c for c in checks_for(db_field) if c not in field.validators]
        return field


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page and changed on their own (through the services)."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BodyInline(ReadOnlyInline):
    """The congress's bodies, read here: they are changed on their own page (workflows.admin),
    through the services that audit the change and tell the live layer whose rights changed."""

    model = Body
    fields = ("kind", "name", "parent", "confidential")
    readonly_fields = fields


@admin.register(Congress)
class CongressAdmin(CheckedInputMixin, admin.ModelAdmin):
    list_display = ("__str__", "opens_on", "superior_review_due", "status")
    list_filter = ("status",)
    search_fields = ("organization__name",)
    readonly_fields = (
        "status",
        "status_reason",
        "successor",
        "plan_opens_on",
        "version",
        "superior_review_due",
    )
    inlines = [BodyInline]

    @admin.display(description=_("superior review due"))
    def superior_review_due(self, congress):
        due = congress.superior_review_due  # none until the opening date is known (add page)
        return date_format(due) if due else None


@admin.register(OrganizationOffice)
class OrganizationOfficeAdmin(admin.ModelAdmin):
    """Staff name the office users of an organization (as `manage.py grant_office` does)."""

    list_display = ("user", "organization", "granted_by", "granted_at")
    list_filter = ("organization__level",)
    search_fields = ("user__username", "user__last_name", "organization__name")
    autocomplete_fields = ("user", "organization")
    readonly_fields = ("granted_by", "granted_at")

    def get_readonly_fields(self, request, obj=None):
        # An office is named or ended, never moved to someone else.
        return (*self.readonly_fields, "user", "organization") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        office, _created = offices.office_grant(
            user=obj.user, organization=obj.organization, granted_by=request.user
        )
        obj.pk, obj.granted_by, obj.granted_at = office.pk, office.granted_by, office.granted_at

    def delete_model(self, request, obj):
        offices.office_revoke(user=obj.user, organization=obj.organization)

    def delete_queryset(self, request, queryset):
        for office in queryset.select_related("user", "organization"):
            self.delete_model(request, office)


@admin.register(CalendarDay)
class CalendarDayAdmin(CheckedInputMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


# Plan templates and resolution targets (issue 6) -------------------------------------------


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    fk_name = "template"
    extra = 0
    fields = (
        "position",
        "key",
        "title",
        "body_kind",
        "anchor",
        "offset_days",
        "after",
        "requires_review",
        "priority",
        "duration_days",
    )
    ordering = ("position", "id")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An item is dated after another item of the same template.
        if db_field.name == "after":
            template_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = PlanItem.objects.filter(template_id=template_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "builtin", "item_count", "updated_at")
    list_filter = ("builtin", "level")
    search_fields = ("name",)
    readonly_fields = ("key", "builtin", "created_at", "updated_at")
    inlines = [PlanItemInline]

    @admin.display(description=_("items"))
    def item_count(self, template):
        return template.items.count()


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    """Where an item's dependencies are chosen (the template's inline lists the items)."""

    list_display = ("title", "template", "body_kind", "anchor", "offset_days", "after")
    list_filter = ("template", "body_kind", "anchor")
    search_fields = ("title", "key")
    autocomplete_fields = ("after", "depends_on")
    list_select_related = ("template", "after")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("position", "code", "name", "unit", "baseline", "target_value", "direction")
    ordering = ("position", "id")


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "organization", "term", "adopted_on")
    list_filter = ("term", "organization")
    search_fields = ("code", "title", "organization__name")
    inlines = [TargetInline]


class TargetResultInline(admin.TabularInline):
    model = TargetResult
    extra = 0
    fields = ("period", "year", "value", "note", "status", "recorded_by", "recorded_at")
    readonly_fields = ("status", "recorded_by", "recorded_at")

    @admin.display(description=_("status"))
    def status(self, result):
        from congress.targets import STATUS_LABELS, target_status

        if result.pk is None:
            return "-"
        return STATUS_LABELS[target_status(result.target, result.value)]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "resolution", "unit", "target_value", "direction")
    list_filter = ("direction", "resolution__organization", "resolution")
    search_fields = ("code", "name", "resolution__code")
    list_select_related = ("resolution",)
    inlines = [TargetResultInline]

    def save_formset(self, request, form, formset, change):
        # The admin records who entered a result, as the API does.
        for result in formset.save(commit=False):
            if isinstance(result, TargetResult):
                result.recorded_by = request.user
            result.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
