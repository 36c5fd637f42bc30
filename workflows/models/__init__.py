"""The workflow models, one module per concept; imported from here by the rest of the code."""

from workflows.models.audit import AppendOnlyQuerySet, AuditEntry
from workflows.models.comments import Comment
from workflows.models.consultations import (
    ConsultationInvitation,
    OutsideBody,
    WrittenOpinion,
)
from workflows.models.documents import (
    DEFAULT_KIND_STEPS,
    KIND_STEP_FIELDS,
    Consultation,
    Document,
    DocumentKind,
    DocumentKindSettings,
    DocumentVersion,
    KindSteps,
)
from workflows.models.proposals import RightsProposal
from workflows.models.tasks import Task, is_overdue, overdue_q

__all__ = [
    "DEFAULT_KIND_STEPS",
    "KIND_STEP_FIELDS",
    "AppendOnlyQuerySet",
    "AuditEntry",
    "Comment",
    "Consultation",
    "ConsultationInvitation",
    "Document",
    "DocumentKind",
    "DocumentKindSettings",
    "DocumentVersion",
    "KindSteps",
    "OutsideBody",
    "RightsProposal",
    "Task",
    "WrittenOpinion",
    "is_overdue",
    "overdue_q",
]
