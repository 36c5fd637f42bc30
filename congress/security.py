from django.conf import settings


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set: a Content Security Policy (no
    third-party origin at all: every asset is served from here) and a Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
