"""Production settings with one deployment change, for the benchmarks' "what if" rows only
(DJANGO_SETTINGS_MODULE=benchmarks.settings_whatif). The application's settings are
untouched; these rows show what a change to them would buy.

- BENCH_DB_POOL=1: Django's PostgreSQL connection pool (Django 5.1+, needs the psycopg-pool
  package) instead of a new connection for every request (CONN_MAX_AGE=0).
- BENCH_CHANNEL_LAYER=pubsub: channels-redis's RedisPubSubChannelLayer, whose `group_send` is
  one Redis PUBLISH that each server process receives once and hands to its own consumers,
  instead of one message per subscribed channel.
"""

import os

from congress.settings import *  # noqa: F403
from congress.settings import DATABASES, REDIS_URL

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
