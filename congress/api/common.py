"""API plumbing shared by every app's views: id patterns, downloads, the reader's language."""

from django.http import HttpResponse
from rest_framework import renderers

from congress.language import in_language_of

ID = r"[0-9]{1,18}"
MAX_ID = 10**18


class DownloadRenderer(renderers.BaseRenderer):
    """Lets a download answer any Accept header; errors still come out as JSON."""

    media_type = "*/*"
    format = "download"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data, accepted_media_type, renderer_context)


DOWNLOAD_RENDERERS = [renderers.JSONRenderer, DownloadRenderer]


def download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def in_user_language(request):
    return in_language_of(request.user)
