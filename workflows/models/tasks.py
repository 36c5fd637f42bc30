"""Tasks of the plan and their state machine."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from congress.models import Body, Congress
from workflows import rules

MIN_DURATION_DAYS, MAX_DURATION_DAYS = 1, 250


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Task.OPEN_STATES)

    def overdue(self, now=None):
        return self.filter(overdue_q(now))


class Task(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        IN_REVIEW = "in_review", _("In review")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    OPEN_STATES = (Status.TODO, Status.IN_PROGRESS, Status.IN_REVIEW, Status.BLOCKED)
    FINISHED_STATES = (Status.DONE, Status.CANCELLED)

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="tasks"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_tasks",
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # The working days of work the task needs: what the schedule (workflows/schedule.py) plans.
    duration_days = models.PositiveSmallIntegerField(
        _("working days of work"),
        default=1,
        validators=[MinValueValidator(MIN_DURATION_DAYS), MaxValueValidator(MAX_DURATION_DAYS)],
    )
    status = FSMField(_("status"), default=Status.TODO, choices=Status.choices, protected=True)
    requires_review = models.BooleanField(_("requires review"), default=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subtasks",
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The plan template item the task came from: re-dating moves the open tasks that have one.
    plan_item = models.ForeignKey(
        "congress.PlanItem",
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["congress", "status"]),
            models.Index(fields=["assignee", "due_at"]),
            models.Index(fields=["body", "status"]),
            models.Index(fields=["due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=250),
                name="task_duration_days_1_250",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.status, self.due_at)

    # Transitions change state only; permission and conditions are in workflows.rules and the
    # transition service does the rest (lock, audit, event) in one transaction.
    @transition(
        status,
        source=Status.TODO,
        target=Status.IN_PROGRESS,
        conditions=[rules.dependencies_done],
        permission=rules.is_assignee,
    )
    def start(self):
        pass

    @transition(
        status,
        source=Status.IN_PROGRESS,
        target=Status.IN_REVIEW,
        conditions=[rules.needs_review],
        permission=rules.is_assignee,
        custom={"requires": "note"},
    )
    def submit(self, note=""):
        pass

    @transition(
        status, source=Status.IN_REVIEW, target=Status.DONE, permission=rules.may_review_task
    )
    def approve(self, note=""):
        self.completed_at = timezone.now()

    @transition(
        status,
        source=Status.IN_REVIEW,
        target=Status.IN_PROGRESS,
        permission=rules.may_review_task,
        custom={"requires": "reason"},
    )
    def return_(self, reason=""):
        pass

    @transition(
        status,
        source=Status.IN_PROGRESS,
        target=Status.DONE,
        conditions=[rules.skips_review],
        permission=rules.is_assignee,
    )
    def complete(self, note=""):
        self.completed_at = timezone.now()

    @transition(
        status,
        source=Status.IN_PROGRESS,
        target=Status.BLOCKED,
        permission=rules.is_assignee,
        custom={"requires": "reason"},
    )
    def block(self, reason=""):
        pass

    @transition(
        status,
        source=Status.BLOCKED,
        target=Status.IN_PROGRESS,
        permission=rules.is_assignee_or_leader,
    )
    def unblock(self, note=""):
        pass

    @transition(
        status,
        source=OPEN_STATES,
        target=Status.CANCELLED,
        permission=rules.may_manage_task,
        custom={"requires": "reason"},
    )
    def cancel(self, reason=""):
        pass

    @transition(
        status, source=FINISHED_STATES, target=Status.TODO, permission=rules.may_manage_task
    )
    def reopen(self, note=""):
        self.completed_at = None


# Plain strings: compared with every task of a list in memory.
_OPEN = frozenset(str(s) for s in Task.OPEN_STATES)


def overdue_q(now=None) -> models.Q:
    """The one rule of "overdue", as a filter: open and past its due moment. The API filter,
    the task list, the counts and the digest use it (or `is_overdue` in memory)."""
    return models.Q(status__in=Task.OPEN_STATES, due_at__lt=now or timezone.now())


def is_overdue(status: str, due_at, now=None) -> bool:
    """The same rule for one task in memory."""
    return status in _OPEN and due_at is not None and due_at < (now or timezone.now())
