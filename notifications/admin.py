from django.contrib import admin

from notifications.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "type",
        "congress",
        "object_kind",
        "object_id",
        "confidential",
        "created_at",
        "dispatched_at",
    )
    list_filter = ("type", "confidential")
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
