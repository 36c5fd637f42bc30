"""Test-only overrides of config.settings."""

from config.settings import *  # noqa: F403

PERIODIC_JOBS_IN_PROCESS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Rate limits have their own tests (which set their own rates); elsewhere they would only make
# the suite's result depend on its speed.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}

# Assertions read in the source language; tests/test_i18n.py checks the Vietnamese default
# (config/settings.py) and the catalog.
LANGUAGE_CODE = "en"

# The cross-request cache of tokens, users and roles (congress.auth_cache) is on in production
# (a shared Redis cache); the suite runs with it on, in one process, so that every test of who
# may see what also checks that the cache lets nothing through.
AUTH_CACHE_SECONDS = 60
