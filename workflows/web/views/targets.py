"""The resolution's targets (*chỉ tiêu*) of a congress's organization (its predecessors'
included), their results for a period with the "X/Y đạt và vượt" summary, and the progress
report to download. Everyone who sees the congress reads it; those congress.targets lets
record targets (may_record_targets, the API's rule) add and edit them from the table. A
refused form is shown in its row, with what was typed kept."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import exports, targets
from congress.errors import DomainError
from congress.models import Target, TargetResult
from workflows.web.setup_forms import show_error
from workflows.web.target_forms import ResolutionForm, ResultForm, TargetForm
from workflows.web.views.base import current_congress, web_view

Period = TargetResult.Period


@web_view
def targets_page(request, pk):
    congress = current_congress(request, pk)
    organization = congress.organization
    may_write = targets.may_record_targets(request.user, organization)
    failed = None  # (key, form) of the one form that failed
    if request.method == "POST" and may_write:
        result = _post(request, congress)
        if not isinstance(result, tuple):
            return result
        failed = result
    elif request.method == "POST":
        messages.error(
            request,
            _(
                "Only the congress's leaders and the leaders or secretary of its documents "
                "subcommittee record the resolution's targets."
            ),
        )
        return redirect("web-targets", pk=congress.pk)
    listed = list(targets.targets_of(request.user, organization))
    period, year = _chosen_period(request, listed)
    summary = targets.period_summary(listed, period, year)
    resolutions = list(_resolutions(request.user, organization))
    context = {
        "congress": congress,
        "summary": summary,
        "period": period,
        "year": year,
        "periods": Period.choices,
        "recorded_periods": [
            {"period": p, "year": y, "label": targets.PeriodSummary(period=p, year=y).label}
            for p, y in targets.periods_of(listed)
        ],
        "rows": _rows(summary, failed, may_write, period, year),
        "may_write": may_write,
        "resolutions": resolutions,
        "resolution_form": _pick(failed, "resolution") or ResolutionForm(prefix="resolution"),
        "target_form": _pick(failed, "target")
        or TargetForm(prefix="target", resolutions=resolutions),
        "downloads": _downloads(congress, period, year),
        "nav": "dashboard",
    }
    return render(request, "web/targets/page.html", context)


def _resolutions(user, organization):
    return targets.resolutions_visible_to(user).filter(
        organization_id__in=targets.lineage(organization)
    )


def _chosen_period(request, listed) -> tuple[str, int]:
    """The period asked for, else the latest with a result, else this year's six months."""
    period, year = request.GET.get("period"), request.GET.get("year") or ""
    if period in Period.values and year.isdecimal() and len(year) == 4:
        return period, int(year)
    latest = targets.latest_period(listed)
    if latest:
        return latest
    return Period.SIX_MONTHS, timezone.localdate().year


def _rows(summary, failed, may_write, period, year) -> list[dict]:
    rows = []
    for target, result, status in summary.rows:
        row = {
            "target": target,
            "target_value": exports.number_text(target.target_value),
            "value": exports.number_text(result.value) if result else "",
            "note": result.note if result else "",
            "status": status,
            "status_label": targets.STATUS_LABELS[status],
        }
        if may_write:
            row["edit_form"] = _pick(failed, ("edit", target.pk)) or TargetForm(
                prefix=f"edit-{target.pk}",
                editing=True,
                initial={
                    "code": target.code,
                    "name": target.name,
                    "unit": target.unit,
                    "target_value": exports.number_text(target.target_value),
                    "direction": target.direction,
                },
            )
            row["result_form"] = _pick(failed, ("result", target.pk)) or ResultForm(
                prefix=f"result-{target.pk}",
                initial={
                    "period": period,
                    "year": year,
                    "value": exports.number_text(result.value) if result else "",
                    "note": result.note if result else "",
                },
            )
            row["open"] = bool(_pick(failed, ("edit", target.pk)))
            row["result_open"] = bool(_pick(failed, ("result", target.pk)))
        rows.append(row)
    return rows


def _pick(failed, key):
    return failed[1] if failed and failed[0] == key else None


def _downloads(congress, period, year) -> list[tuple[str, str]]:
    query = f"?period={period}&year={year}"
    return [
        (
            label,
            reverse("congress-progress-report", kwargs={"pk": congress.pk, "fmt": fmt}) + query,
        )
        for fmt, label in (
            ("docx", _("Progress report (Word)")),
            ("xlsx", _("Progress report (Excel)")),
        )
    ]


def _int(value) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) <= 18 else None


def _post(request, congress):
    """Do what the form asked and go back to the page, or return (key, form) of the form that
    failed."""
    action = request.POST.get("action", "")
    if action == "resolution":
        return _resolution_add(request, congress)
    if action == "target":
        return _target_add(request, congress)
    target_id = _int(request.POST.get("target"))
    if action == "edit" and target_id:
        return _target_edit(request, congress, target_id)
    if action == "result" and target_id:
        return _result_record(request, congress, target_id)
    return redirect("web-targets", pk=congress.pk)


def _back(congress, anchor="", period=None, year=None):
    url = reverse("web-targets", args=[congress.pk])
    if period and year:
        url += f"?period={period}&year={year}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _saved(request, form, key, write, success, back):
    """Run the service with the parsed form; a refusal goes next to that form."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, success)
            return back()
    return (key, form)


def _resolution_add(request, congress):
    form = ResolutionForm(request.POST, prefix="resolution")
    return _saved(
        request,
        form,
        "resolution",
        lambda data: targets.resolution_create(
            actor=request.user, organization=congress.organization, **data
        ),
        _("Resolution added."),
        lambda: _back(congress, "add-target"),
    )


def _target_add(request, congress):
    resolutions = {r.pk: r for r in _resolutions(request.user, congress.organization)}
    form = TargetForm(request.POST, prefix="target", resolutions=resolutions.values())

    def write(data):
        data = dict(data)
        resolution = resolutions[data.pop("resolution")]
        target = targets.target_create(actor=request.user, resolution=resolution, **data)
        created.append(target)

    created: list[Target] = []
    return _saved(
        request,
        form,
        "target",
        write,
        _("Target added."),
        lambda: _back(congress, f"target-{created[0].pk}"),
    )


def _visible_target(request, congress, target_id):
    listed = targets.targets_of(request.user, congress.organization)
    return listed.filter(pk=target_id).first()


def _target_edit(request, congress, target_id):
    target = _visible_target(request, congress, target_id)
    if target is None:
        messages.error(request, _("This target is not in this congress's list."))
        return _back(congress)
    form = TargetForm(request.POST, prefix=f"edit-{target.pk}", editing=True)
    return _saved(
        request,
        form,
        ("edit", target.pk),
        lambda data: targets.target_update(actor=request.user, target_id=target.pk, **data),
        _("Target saved: %(code)s") % {"code": target.code},
        lambda: _back(congress, f"target-{target.pk}"),
    )


def _result_record(request, congress, target_id):
    target = _visible_target(request, congress, target_id)
    if target is None:
        messages.error(request, _("This target is not in this congress's list."))
        return _back(congress)
    form = ResultForm(request.POST, prefix=f"result-{target.pk}")
    chosen = {}

    def write(data):
        chosen.update(period=data["period"], year=data["year"])
        targets.target_result_record(actor=request.user, target_id=target.pk, **data)

    return _saved(
        request,
        form,
        ("result", target.pk),
        write,
        _("Result recorded: %(code)s") % {"code": target.code},
        lambda: _back(congress, f"target-{target.pk}", chosen["period"], chosen["year"]),
    )
