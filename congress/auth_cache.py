"""Who an API token belongs to, and that user's roles, kept in the cache across requests
(AUTH_CACHE_SECONDS, 60 s on a shared cache) so that an API call usually costs no query before
its own.

Never longer than the rule of now allows: an entry is dropped the moment what it says may no
longer hold.

- A token's entry is replaced by a tombstone when the token row is deleted (revoked, expired,
  password changed, account deactivated or deleted), at once, inside the deleting transaction.
  Entries are only ever added with `cache.add`, so a request that read the token from the
  database just before it was deleted cannot put it back over the tombstone.
- A user's entry (the user row and their roles) carries the generation of the user and the
  global generation it was read at. A user's generation changes after commit whenever
  `congress.signals.rights_changed` names them and whenever a row their roles are built from
  is saved or deleted (their user row, memberships, offices, superior reviews: the admin sends no
  `rights_changed`); the global one whenever a body, congress or organization is (a body's kind,
  a congress's organization, an organization's parent decide roles too). A saved or deleted row
  changes the generation at once and again after commit. The generations are read before the
  rows, so an entry read before a change is never taken for one read after it.

On a per-process cache (LocMem, the embedded default) a change made by another process would
not be seen: there AUTH_CACHE_SECONDS defaults to 0 (off). When the cache does not answer,
requests read the database; an invalidation it failed to take is logged, and what it would
have dropped lives at most AUTH_CACHE_SECONDS more.
"""

import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from congress.roles import _CACHE_ATTR as ROLES_ATTR
from congress.roles import roles_from_rows
from congress.signals import rights_changed

TOKEN = "auth:token:{}"
RENEWED = "auth:renewed:{}"
USER = "auth:user:{}"
USER_GENERATION = "auth:gen:{}"
GLOBAL_GENERATION = "auth:gen"
REVOKED = "revoked"
PER_PROCESS_CACHES = ("LocMemCache", "DummyCache")

logger = logging.getLogger(__name__)


class CacheDown(Exception):
    """The cache did not answer: the caller reads the database instead."""


def _ask(method: str, *args):
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # Redis down or unreachable
        raise CacheDown from error


def _tell(method: str, *args) -> None:
    """An invalidation: the change it follows goes on if the cache is down (the entries it
    would have dropped live at most AUTH_CACHE_SECONDS)."""
    try:
        getattr(cache, method)(*args)
    except Exception:
        logger.warning("auth cache: %s failed", method, exc_info=True)


def seconds() -> int:
    configured = getattr(settings, "AUTH_CACHE_SECONDS", None)
    if configured is not None:
        return configured
    backend = settings.CACHES["default"]["BACKEND"]
    return 0 if backend.endswith(PER_PROCESS_CACHES) else 60


def cached_token(digest: str) -> AuthToken | None:
    """The live token of this digest if the cache knows it; None to ask the database."""
    keys = [TOKEN.format(digest), RENEWED.format(digest)]
    found = _ask("get_many", keys)
    token = found.get(keys[0])
    if not isinstance(token, AuthToken):
        return None
    renewed = found.get(keys[1])
    if renewed is not None and token.expiry is not None and renewed > token.expiry:
        token.expiry = renewed
    if token.expiry is not None and token.expiry < timezone.now():
        return None  # the database path deletes it
    return token


def token_remember(token: AuthToken) -> None:
    token._state.fields_cache = {}  # the user is cached on its own
    _ask("add", TOKEN.format(token.digest), token, seconds())


def token_renew(token: AuthToken) -> None:
    """knox's sliding expiry, written at most once per MIN_REFRESH_INTERVAL. The new expiry
    is cached beside the token, never over it: only an add may put a token in the cache."""
    if not knox_settings.AUTO_REFRESH or token.expiry is None:
        return
    new_expiry = timezone.now() + knox_settings.TOKEN_TTL
    if knox_settings.AUTO_REFRESH_MAX_TTL is not None:
        new_expiry = min(new_expiry, token.created + knox_settings.AUTO_REFRESH_MAX_TTL)
    if (new_expiry - token.expiry).total_seconds() <= knox_settings.MIN_REFRESH_INTERVAL:
        return
    AuthToken.objects.filter(digest=token.digest).update(expiry=new_expiry)
    token.expiry = new_expiry
    _ask("set", RENEWED.format(token.digest), new_expiry, seconds())


def _generations(user_id: int) -> tuple[str, str]:
    keys = [GLOBAL_GENERATION, USER_GENERATION.format(user_id)]
    found = _ask("get_many", keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        _ask("add", key, uuid.uuid4().hex, None)
    if missing:
        found = _ask("get_many", keys)
    return found.get(keys[0], ""), found.get(keys[1], "")


def cached_user(user_id: int):
    """The user with their roles set (congress.roles.roles_of reads them from the instance),
    from the cache or else from the database (two queries, then cached)."""
    keys = [GLOBAL_GENERATION, USER_GENERATION.format(user_id), USER.format(user_id)]
    found = _ask("get_many", keys)
    entry = found.get(keys[2])
    if entry is not None and entry[:2] == (found.get(keys[0]), found.get(keys[1])):
        user, roles = entry[2], entry[3]
    else:
        generations = _generations(user_id)  # before the rows: see the module's docstring
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is None:
            return None
        roles = roles_from_rows(user.membership_rows())
        _ask("set", keys[2], (*generations, user, roles), seconds())
    setattr(user, ROLES_ATTR, roles)  # what congress.roles.roles_of reads first
    return user


def users_forget(user_ids) -> None:
    """New generations for these users, so that every cached entry of theirs is stale."""
    _tell("set_many", {USER_GENERATION.format(u): uuid.uuid4().hex for u in user_ids}, None)


def everyone_forget() -> None:
    _tell("set", GLOBAL_GENERATION, uuid.uuid4().hex, None)


def _now_and_after_commit(function, *args) -> None:
    """At once, for the rest of the changing transaction (and for a test, whose transaction
    never commits), and again after commit, for whoever read the rows in between."""
    function(*args)
    transaction.on_commit(lambda: function(*args))


def _on_rights_changed(sender, user_ids=(), **kwargs) -> None:
    users_forget(list(user_ids))  # sent after commit already


def _on_token_deleted(sender, instance, **kwargs) -> None:
    _tell("set", TOKEN.format(instance.digest), REVOKED, max(seconds(), 1))


def _on_user_row(sender, instance, **kwargs) -> None:
    _now_and_after_commit(users_forget, [instance.pk])


def _on_row_of_user(sender, instance, **kwargs) -> None:
    _now_and_after_commit(users_forget, [instance.user_id])


def _on_structure(sender, instance, **kwargs) -> None:
    _now_and_after_commit(everyone_forget)


def connect() -> None:
    """Connected in every process (congress.apps), since any may change rights."""
    from congress.models import (
        Body,
        Congress,
        Membership,
        Organization,
        OrganizationOffice,
        SuperiorReviewer,
    )

    rights_changed.connect(_on_rights_changed, dispatch_uid="auth_cache.rights")
    post_delete.connect(_on_token_deleted, sender=AuthToken, dispatch_uid="auth_cache.token")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(
            _on_user_row, sender=get_user_model(), dispatch_uid=f"auth_cache.user.{name}"
        )
        for model in (Membership, OrganizationOffice, SuperiorReviewer):
            signal.connect(
                _on_row_of_user, sender=model, dispatch_uid=f"auth_cache.{model.__name__}.{name}"
            )
        for model in (Body, Congress, Organization):
            signal.connect(
                _on_structure, sender=model, dispatch_uid=f"auth_cache.{model.__name__}.{name}"
            )
