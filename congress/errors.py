"""Domain errors: services raise them, the API turns each into a 4xx JSON answer.

Each carries a message a person can read, a stable machine `code`, and any details
(field errors, the allowed transitions, who may act). A message made from a template may keep
it (`wording`: the untranslated template and its values), so that a page can say the same in
its own words (a transition's button label instead of its name) without rewriting the text.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self, message, *, code: str | None = None, wording: tuple | None = None, **details
    ):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.wording = wording
        self.details = details

    def as_dict(self) -> dict:
        return {"detail": str(self.message), "code": self.code, **self.details}


class Invalid(DomainError):
    """Bad input; `fields` maps field names to lists of messages."""

    status = 400

    def __init__(self, fields: dict, message=None, wording: tuple | None = None, **details):
        super().__init__(message or _("Invalid input."), fields=fields, wording=wording, **details)

    def as_dict(self) -> dict:
        # Field errors at the top level, as DRF's own validation errors are.
        body = {name: [str(m) for m in msgs] for name, msgs in self.details["fields"].items()}
        body.update({"detail": str(self.message), "code": self.code})
        return body


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
