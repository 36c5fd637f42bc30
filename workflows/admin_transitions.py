"""The admin's "Change status" page, for tasks and documents alike: it lists the transitions the
user may do now and applies the chosen one through the model's transition service."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress.errors import DomainError
from congress.fsm import available_transitions, required_input


class TransitionAdminMixin:
    """Set `transition_service` (keyword-only, taking `actor`) and its id keyword `id_field`;
    `transition_extra(request)` adds what the model's transitions take besides a note or a
    reason. The page's template is admin/<app>/<model>/transition.html."""

    transition_service = None
    id_field = "id"

    def transition_extra(self, request) -> dict:
        return {}

    def _admin_name(self, page: str) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{page}"

    @admin.display(description=_("transitions"))
    def transition_link(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse(f"admin:{self._admin_name('transition')}", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Change status"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name=self._admin_name("transition"),
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk):
        obj = get_object_or_404(self.model.objects.select_related("body"), pk=pk)
        names = available_transitions(obj, request.user)
        if request.method == "POST" and self._apply(request, pk):
            return redirect(f"admin:{self._admin_name('change')}", pk)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": _("Change status"),
            "transitions": [(n, required_input(obj, n)) for n in names],
        }
        template = f"admin/{opts.app_label}/{opts.model_name}/transition.html"
        return TemplateResponse(request, template, context)

    def _apply(self, request, pk) -> bool:
        text = request.POST.get("text", "")
        version = request.POST.get("version", "")
        try:
            self.transition_service(
                actor=request.user,
                **{self.id_field: pk},
                name=request.POST.get("transition", ""),
                note=text,
                reason=text,
                version=(int(version) if version.isdecimal() else 0) or None,
                **self.transition_extra(request),
            )
        except DomainError as error:
            messages.error(request, error.message)
            return False
        messages.success(request, _("Status changed."))
        return True
