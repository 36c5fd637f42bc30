from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from congress.models import Body, CalendarDay, Congress, Membership, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ("language",)}))
    list_display = ("username", "first_name", "last_name", "email", "language", "is_staff")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "successor")
    list_filter = ("level",)
    search_fields = ("name",)


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ("kind", "name", "parent", "confidential")


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ("__str__", "opens_on", "superior_review_due", "status")
    list_filter = ("status",)
    search_fields = ("organization__name",)
    readonly_fields = ("status", "status_reason", "version", "superior_review_due")
    inlines = [BodyInline]

    @admin.display(description=_("superior review due"))
    def superior_review_due(self, congress):
        return congress.superior_review_due


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "congress", "confidential")
    list_filter = ("kind", "confidential", "congress")
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "body", "role")
    list_filter = ("role", "body__kind")
    search_fields = ("user__username", "user__last_name", "body__name")
    autocomplete_fields = ("user", "body")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"
