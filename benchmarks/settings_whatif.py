"""Production settings with deployment changes, for the benchmarks' "what if" rows only
(DJANGO_SETTINGS_MODULE=benchmarks.settings_whatif). The application's settings are
untouched; these rows show what a change to them would buy.

- BENCH_DB_POOL=1: Django's PostgreSQL connection pool (Django 5.1+, needs the psycopg-pool
  package) instead of a new connection for every request (CONN_MAX_AGE=0).
- BENCH_CHANNEL_LAYER=pubsub: channels-redis's RedisPubSubChannelLayer, whose `group_send` is
  one Redis PUBLISH that each server process receives once and hands to its own consumers,
  instead of one message per subscribed channel.
- BENCH_NO_THROTTLE=1: no DRF rate limits at all (DEFAULT_THROTTLE_CLASSES empty). The
  benchmarks otherwise lift the limits through API_RATE_USER/API_RATE_ANON, but the throttles
  still run: a cache read and write for every authenticated request.
- BENCH_API_MIDDLEWARE=1: the middleware stack an API request served with a token needs
  (API_MIDDLEWARE below) instead of the site's. For a server that is only sent `/api/`
  requests with a token, which is how the what-if rows use it: a site would keep the full
  stack for its pages and for the API's session clients.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES, MIDDLEWARE, REDIS_URL, REST_FRAMEWORK

# Kept: the security headers (HSTS, nosniff, the CSP), the host check and APPEND_SLASH
# (CommonMiddleware), `Cache-Control: no-store, private` on every API answer. Left out: static
# files, sessions, the language from the request, CSRF (DRF checks it itself for session
# clients), `request.user` (DRF authenticates the token), messages, X-Frame-Options.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "congress.security.SecurityHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "congress.security.PrivateCacheMiddleware",
]
assert set(API_MIDDLEWARE) <= set(MIDDLEWARE), "the site's middleware changed: update this"

if os.environ.get("BENCH_DB_POOL") == "1":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "pool": {"min_size": 2, "max_size": 10, "timeout": 10},
    }

if os.environ.get("BENCH_CHANNEL_LAYER") == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL}]},
        }
    }

if os.environ.get("BENCH_NO_THROTTLE") == "1":
    REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

if os.environ.get("BENCH_API_MIDDLEWARE") == "1":
    MIDDLEWARE = API_MIDDLEWARE
