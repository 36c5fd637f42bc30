"""Congress documents, their kinds' review steps and their versions."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, FSMField, FSMModelMixin, transition

from congress.models import Body, Congress
from workflows import rules
from workflows.models.comments import Comment


class DocumentKind(models.TextChoices):
    OUTLINE = "outline", _("Outline")
    POLITICAL_REPORT = "political_report", _("Political report")
    REVIEW_REPORT = "review_report", _("Executive committee's review report")
    RESOLUTION = "resolution", _("Draft resolution")
    ACTION_PROGRAMME = "action_programme", _("Action programme")
    PERSONNEL_PLAN = "personnel_plan", _("Personnel plan")
    WORKING_RULES = "working_rules", _("Working rules")
    ELECTION_RULES = "election_rules", _("Election rules")
    COMMENT_SUMMARY = "comment_summary", _("Summary of comments on the superior's drafts")
    OTHER = "other", _("Other")


class Consultation(models.TextChoices):
    NONE = "none", _("Never put out for comment")
    OPTIONAL = "optional", _("May be put out for comment")
    REQUIRED = "required", _("Must be put out for comment before adoption")


@dataclass(frozen=True)
class KindSteps:
    """Which review steps a kind of document goes through, in the order of
    `rules.DOCUMENT_REVIEW_STEPS`, and whether it goes out for comment."""

    subcommittee_review: bool = True
    steering_review: bool = True
    standing_committee_review: bool = True
    superior_review: bool = True
    consultation: str = Consultation.OPTIONAL

    @property
    def chain(self) -> tuple[str, ...]:
        steps = tuple(step for step in rules.DOCUMENT_REVIEW_STEPS if getattr(self, step))
        # A kind configured with no step at all still gets reviewed by its subcommittee.
        return steps or rules.DOCUMENT_REVIEW_STEPS[:1]


# What a kind needs when the admin has not configured it (the migration seeds these rows).
DEFAULT_KIND_STEPS = {
    DocumentKind.OUTLINE: KindSteps(superior_review=False, consultation=Consultation.NONE),
    DocumentKind.POLITICAL_REPORT: KindSteps(consultation=Consultation.REQUIRED),
    DocumentKind.REVIEW_REPORT: KindSteps(),
    DocumentKind.RESOLUTION: KindSteps(),
    DocumentKind.ACTION_PROGRAMME: KindSteps(superior_review=False),
    DocumentKind.PERSONNEL_PLAN: KindSteps(consultation=Consultation.NONE),
    DocumentKind.WORKING_RULES: KindSteps(superior_review=False, consultation=Consultation.NONE),
    DocumentKind.ELECTION_RULES: KindSteps(superior_review=False, consultation=Consultation.NONE),
    DocumentKind.COMMENT_SUMMARY: KindSteps(superior_review=False, consultation=Consultation.NONE),
    DocumentKind.OTHER: KindSteps(superior_review=False),
}
KIND_STEP_FIELDS = (*rules.DOCUMENT_REVIEW_STEPS, "consultation")


class Document(FSMModelMixin, models.Model):
    """A congress document drafted round after round (*dự thảo lần N*) and approved step by step."""

    Kind = DocumentKind

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        SUBCOMMITTEE_REVIEW = "subcommittee_review", _("Subcommittee review")
        STEERING_REVIEW = "steering_review", _("Steering board review")
        STANDING_COMMITTEE_REVIEW = "standing_committee_review", _("Standing committee review")
        SUPERIOR_REVIEW = "superior_review", _("Superior level review")
        CONSULTATION = "consultation", _("Out for comment")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    REVIEW_STATES = rules.DOCUMENT_REVIEW_STEPS
    FINAL_STATES = (Status.APPROVED, Status.WITHDRAWN)
    WITHDRAWABLE = (Status.DRAFTING, *REVIEW_STATES, Status.CONSULTATION)

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="documents"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("owning body"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_documents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_documents",
    )
    status = FSMField(_("status"), default=Status.DRAFTING, choices=Status.choices, protected=True)
    round = models.PositiveSmallIntegerField(_("draft round"), default=1)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    consultation_closes_at = models.DateTimeField(_("comments close at"), null=True, blank=True)
    consultations_held = models.PositiveSmallIntegerField(_("consultations held"), default=0)
    status_reason = models.TextField(_("reason"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["congress_id", "id"]
        indexes = [
            models.Index(fields=["congress", "status"]),
            models.Index(fields=["body", "status"]),
        ]

    def __str__(self):
        return self.title

    def kind_steps(self) -> KindSteps:
        """The kind's configured steps: from the row's annotations when the selector added
        them (no query), else read once and kept on the instance."""
        cached = self.__dict__.get("_kind_steps")
        if cached is None:
            if "kind_consultation" in self.__dict__:
                values = {f: getattr(self, f"kind_{f}") for f in KIND_STEP_FIELDS}
            else:
                row = DocumentKindSettings.objects.filter(kind=self.kind).values().first() or {}
                values = {f: row.get(f) for f in KIND_STEP_FIELDS}
            default = DEFAULT_KIND_STEPS.get(self.kind, KindSteps())
            cached = KindSteps(
                **{f: getattr(default, f) if v is None else v for f, v in values.items()}
            )
            self._kind_steps = cached
        return cached

    def versions_in_round(self) -> int:
        count = self.__dict__.get("round_version_count")
        if count is None:
            count = self.versions.filter(round=self.round).count()
        return count

    def pending_comments(self) -> int:
        count = self.__dict__.get("pending_comment_count")
        if count is None:
            count = Comment.objects.filter(
                version__document=self, disposition=Comment.Disposition.PENDING
            ).count()
        return count

    # Transitions change state only; who may act and when is in workflows.rules, and the
    # transition service does the rest (lock, audit, event). `approve` and `return` are declared
    # once per review step because each step has its own reviewer; the step after `submit` and
    # `approve` depends on the kind's configured steps.
    @transition(
        status,
        source=Status.DRAFTING,
        target=GET_STATE(rules.first_review_state, states=REVIEW_STATES),
        conditions=[rules.has_version_in_round],
        permission=rules.may_submit_document,
    )
    def submit(self, note=""):
        pass

    @transition(
        status,
        source=Status.SUBCOMMITTEE_REVIEW,
        target=GET_STATE(rules.next_review_state, states=[*REVIEW_STATES, Status.APPROVED]),
        conditions=rules.DOCUMENT_APPROVE_CONDITIONS,
        permission=rules.leads_owning_body,
    )
    @transition(
        status,
        source=Status.STEERING_REVIEW,
        target=GET_STATE(rules.next_review_state, states=[*REVIEW_STATES, Status.APPROVED]),
        conditions=rules.DOCUMENT_APPROVE_CONDITIONS,
        permission=rules.leads_steering_board,
    )
    @transition(
        status,
        source=Status.STANDING_COMMITTEE_REVIEW,
        target=GET_STATE(rules.next_review_state, states=[*REVIEW_STATES, Status.APPROVED]),
        conditions=rules.DOCUMENT_APPROVE_CONDITIONS,
        permission=rules.leads_standing_committee,
    )
    @transition(
        status,
        source=Status.SUPERIOR_REVIEW,
        target=GET_STATE(rules.next_review_state, states=[*REVIEW_STATES, Status.APPROVED]),
        conditions=rules.DOCUMENT_APPROVE_CONDITIONS,
        permission=rules.decides_superior_review,
    )
    def approve(self, note=""):
        if rules.next_review_state(self) == self.Status.APPROVED:
            self.approved_at = timezone.now()

    @transition(
        status,
        source=Status.SUBCOMMITTEE_REVIEW,
        target=Status.DRAFTING,
        permission=rules.leads_owning_body,
        custom={"requires": "reason"},
    )
    @transition(
        status,
        source=Status.STEERING_REVIEW,
        target=Status.DRAFTING,
        permission=rules.leads_steering_board,
        custom={"requires": "reason"},
    )
    @transition(
        status,
        source=Status.STANDING_COMMITTEE_REVIEW,
        target=Status.DRAFTING,
        permission=rules.leads_standing_committee,
        custom={"requires": "reason"},
    )
    @transition(
        status,
        source=Status.SUPERIOR_REVIEW,
        target=Status.DRAFTING,
        permission=rules.decides_superior_review,
        custom={"requires": "reason"},
    )
    def return_(self, reason=""):
        self.round += 1
        self.status_reason = reason

    # The closing date is the service's input (`consultation_closes_at`), checked there.
    @transition(
        status,
        source=Status.STEERING_REVIEW,
        target=Status.CONSULTATION,
        conditions=[rules.consultation_allowed],
        permission=rules.leads_steering_board,
        custom={"needs": "consultation_closes_at"},
    )
    @transition(
        status,
        source=Status.STANDING_COMMITTEE_REVIEW,
        target=Status.CONSULTATION,
        conditions=[rules.consultation_allowed],
        permission=rules.leads_standing_committee,
        custom={"needs": "consultation_closes_at"},
    )
    def open_consultation(self, note=""):
        pass

    @transition(
        status,
        source=Status.CONSULTATION,
        target=Status.DRAFTING,
        conditions=[rules.consultation_closed],
        permission=rules.may_close_consultation,
    )
    def close_consultation(self, note=""):
        self.round += 1
        self.consultations_held += 1

    @transition(
        status,
        source=WITHDRAWABLE,
        target=Status.WITHDRAWN,
        permission=rules.may_withdraw_document,
        custom={"requires": "reason"},
    )
    def withdraw(self, reason=""):
        self.status_reason = reason


class DocumentKindSettings(models.Model):
    """Per kind of document: the review steps it goes through and whether it goes out for
    comment. Set in the admin; a kind without a row uses `DEFAULT_KIND_STEPS`."""

    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices, unique=True)
    subcommittee_review = models.BooleanField(_("subcommittee review"), default=True)
    steering_review = models.BooleanField(_("steering board review"), default=True)
    standing_committee_review = models.BooleanField(_("standing committee review"), default=True)
    superior_review = models.BooleanField(_("superior level review"), default=True)
    consultation = models.CharField(
        _("consultation"),
        max_length=16,
        choices=Consultation.choices,
        default=Consultation.OPTIONAL,
    )

    class Meta:
        verbose_name = _("document kind steps")
        verbose_name_plural = _("document kind steps")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        from django.core.exceptions import ValidationError

        if not any(getattr(self, step) for step in rules.DOCUMENT_REVIEW_STEPS):
            raise ValidationError(_("A kind of document needs at least one review step."))
        if self.consultation == Consultation.REQUIRED and not (
            self.steering_review or self.standing_committee_review
        ):
            raise ValidationError(
                {
                    "consultation": _(
                        "Comments are opened from the steering board's or the standing "
                        "committee's review: keep one of them to require a consultation."
                    )
                }
            )


class DocumentVersion(models.Model):
    """One uploaded draft. Its type is what the content is, whatever the file was called."""

    class FileType(models.TextChoices):
        DOCX = "docx", _("Word (.docx)")
        PDF = "pdf", _("PDF (.pdf)")
        MD = "md", _("Markdown (.md)")
        TXT = "txt", _("Plain text (.txt)")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    round = models.PositiveSmallIntegerField(_("draft round"))
    file = models.FileField(_("file"), upload_to="documents/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.document} · v{self.number}"

    @property
    def has_text(self) -> bool:
        return self.file_type != self.FileType.PDF
