"""The public consultation page `/consult/{token}/`: an invited organization, without an
account, reads the draft under consultation section by section, comments on it, and gets a
receipt of what was recorded.

A bare page: the site's stylesheet and nothing of the product around it (no navigation, no
other document, no other organization's name or comments). In the site's language, since
there is no account to choose one. It sets no cookie but the CSRF one, is never cached, and
sends no referrer to other sites (the token is in the address). POSTs are limited per token
and per client address (CONSULT_POSTS_PER_TOKEN, CONSULT_POSTS_PER_ADDRESS per
CONSULT_POSTS_WINDOW_SECONDS).
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from congress import rate_windows
from congress.errors import Invalid, NotFound
from congress.login_throttle import client_address
from congress.rate_windows import fail_open
from workflows.models.consultations import token_hash
from workflows.services.consultation_page import (
    Gone,
    consultation_answer,
    consultation_get,
    sent_comments,
    sent_opinions,
)

TEMPLATES = "web/consult/"
FIELD = "section-"
# Enough for an organization to send in several sittings, far below what a script would try.
DEFAULT_WINDOW_SECONDS = 3600


def _bare(request, template: str, context: dict, status: int = 200):
    response = render(request, TEMPLATES + template, context, status=status)
    patch_cache_control(response, no_store=True, private=True)
    # The token is in the address: never sent to another site. Not "no-referrer": under it
    # Chromium sends the form's POST with "Origin: null", which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def consult_page(request, token: str):
    with translation.override(settings.LANGUAGE_CODE):
        request.LANGUAGE_CODE = translation.get_language()
        try:
            if request.method == "POST":
                wait = _throttled(request, token)
                if wait:
                    return _too_many(request, wait)
                return _post(request, token)
            return _page(request, consultation_get(token))
        except NotFound:
            return _bare(request, "not_found.html", {}, status=404)
        except Gone as gone:
            return _bare(request, "gone.html", {"reason": gone.details.get("reason")}, status=410)


def _sent_by_section(invitation) -> tuple[dict, list]:
    by_section: dict[str, list] = {}
    for comment in sent_comments(invitation):
        by_section.setdefault(comment.section, []).append(comment)
    return by_section, by_section.pop("", [])


def _page(request, consultation, *, typed=None, error=""):
    by_section, general_sent = _sent_by_section(consultation.invitation)
    typed = typed or {}
    sections = [
        {
            "section": section,
            "field": f"{FIELD}{section.index}",
            "typed": typed.get(f"{FIELD}{section.index}", ""),
            "sent": by_section.get(section.reference, []),
        }
        for section in consultation.sections
    ]
    context = {
        "invitation": consultation.invitation,
        "document": consultation.document,
        "version": consultation.version,
        "sections": sections,
        "general_typed": typed.get("general", ""),
        "general_sent": general_sent,
        "opinions_sent": sent_opinions(consultation.invitation),
        "error": error,
    }
    return _bare(request, "page.html", context, status=400 if error else 200)


def _post(request, token: str):
    texts = {}
    for name, value in request.POST.items():
        if name.startswith(FIELD) and name[len(FIELD) :].isdecimal() and len(name) < 20:
            texts[int(name[len(FIELD) :])] = value
    general = request.POST.get("general", "")
    opinion = request.FILES.get("opinion")
    try:
        comments = consultation_answer(token=token, texts=texts, general=general, opinion=opinion)
    except Invalid as error:
        messages = [str(m) for msgs in error.details["fields"].values() for m in msgs]
        return _page(request, consultation_get(token), typed=request.POST, error=" ".join(messages))
    consultation = consultation_get(token)
    context = {
        "invitation": consultation.invitation,
        "document": consultation.document,
        "version": consultation.version,
        "comments": comments,
        "opinion": opinion.name if opinion is not None else "",
        "recorded_at": timezone.now(),
    }
    return _bare(request, "receipt.html", context)


# --- rate limits -----------------------------------------------------------------------------


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@fail_open(0, "consultation rate limit")  # without the cache, let the organization answer
def _throttled(request, token: str) -> int:
    """0, or the seconds to wait."""
    window = _limit("CONSULT_POSTS_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)
    limits = (
        (f"consult-posts:token:{token_hash(token)[:32]}", "CONSULT_POSTS_PER_TOKEN", 30),
        (f"consult-posts:address:{client_address(request)}", "CONSULT_POSTS_PER_ADDRESS", 100),
    )
    wait = 0
    for key, setting, default in limits:
        counted = rate_windows.hit(key, window)
        if counted.count > _limit(setting, default):
            wait = max(wait, counted.left)
    return wait


def _too_many(request, wait: int):
    minutes = max(1, round(wait / 60))
    response = _bare(request, "too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response
