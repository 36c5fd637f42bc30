"""Every API error is a 4xx JSON body that says what is wrong."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congress.errors import DomainError

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError):
        # A value the database cannot hold that validation did not catch: the client's input.
        logger.warning("DataError turned into 400: %s", exc)
        return Response(
            {"detail": _("A value is out of range or malformed."), "code": "invalid"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"detail": response.data}
    if isinstance(response.data, dict):
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            response.data.setdefault("code", codes)
        elif response.status_code == 400:
            response.data.setdefault("detail", _("Invalid input."))
            response.data.setdefault("code", "invalid")
    return response


def json_not_found(request, exception=None):
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)


def json_server_error(request):
    if not request.path.startswith("/api/"):
        return defaults.server_error(request)
    return JsonResponse(
        {"detail": _("Server error. It has been logged."), "code": "server_error"}, status=500
    )


def json_bad_request(request, exception=None):
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    return JsonResponse({"detail": _("Bad request."), "code": "bad_request"}, status=400)


def json_forbidden(request, exception=None):
    if not request.path.startswith("/api/"):
        return defaults.permission_denied(request, exception)
    return JsonResponse({"detail": _("Forbidden."), "code": "forbidden"}, status=403)
