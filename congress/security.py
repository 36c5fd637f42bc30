from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.cache import patch_cache_control


def _connect_src(request) -> str:
    """The page's own origin, and its websocket twin spelled out: CSP 3 lets 'self' match
    ws(s): of the same host, but not every browser in use does."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return "connect-src 'self'"
    scheme = "wss" if request.is_secure() else "ws"
    return f"connect-src 'self' {scheme}://{host}"


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set: a Content Security Policy (no
    third-party origin at all: every asset is served from here, websockets only to this host)
    and a Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY.replace(
            "connect-src 'self'", _connect_src(request)
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class PrivateCacheMiddleware:
    """What a logged-in user is shown, and every API answer, stays out of shared and browser
    caches (`Cache-Control: no-store, private`), unless the view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response.headers:
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
