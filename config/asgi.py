"""ASGI entry point: websockets through Channels (live updates), and HTTP for the embedded
`make run`. In production a proxy sends only /ws/ here and HTTP to gunicorn (config.wsgi)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Sync code runs in a new thread per request here: a persistent connection would be one per
# thread, never reused (Django's documentation: disable them under ASGI).
os.environ.setdefault("CONN_MAX_AGE", "0")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from notifications.routing import websocket_urlpatterns  # noqa: E402
from notifications.scheduler import start_in_process  # noqa: E402
from notifications.ws_auth import TokenAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)

# Embedded runs have no celery beat: reminders, redispatch and email batches run on a timer here.
start_in_process()
