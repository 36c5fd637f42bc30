from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.email import deliveries_retry
from notifications.models import EmailDelivery, Event, Notification, Preference, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
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
    list_filter = ("type", "confidential", ("dispatched_at", admin.EmptyFieldListFilter))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "category", "created_at", "read_at")
    list_filter = ("category", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    """Every email the project sends, by template: failed ones are visible here and can be
    sent again."""

    list_display = ("to", "template", "status", "attempts", "send_after", "sent_at", "short_error")
    list_filter = ("status", "template")
    exclude = ("context",)  # an unsent email's link is the reader's only
    search_fields = ("to", "last_error")
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def short_error(self, delivery):
        return delivery.last_error[:80]

    @admin.action(description=_("Send the selected failed emails again"))
    def retry(self, request, queryset):
        count = deliveries_retry(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("object_kind", "object_id", "kind", "deadline", "created_at")
    list_filter = ("kind", "object_kind")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "digest_hour", "quiet_start", "quiet_end")
    exclude = ("calendar_token",)
