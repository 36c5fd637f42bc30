"""Rights proposals: read them, and confirm, reject or withdraw them through the transitions
endpoint, like tasks and documents."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api.common import ID
from congress.api.serializers import TransitionInputSerializer
from congress.errors import NotFound
from congress.fsm import available_transitions
from workflows.models import RightsProposal
from workflows.services.proposal_decisions import proposal_transition
from workflows.services.proposals import proposals_seen_by


class ProposalSerializer(serializers.ModelSerializer):
    available_transitions = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    class Meta:
        model = RightsProposal
        fields = [
            "id",
            "congress",
            "action",
            "status",
            "version",
            "summary",
            "body",
            "user",
            "role",
            "changes",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "reason",
            "available_transitions",
            "detail",
        ]
        read_only_fields = fields

    def get_available_transitions(self, proposal) -> list[str]:
        request = self.context.get("request")
        return available_transitions(proposal, request.user) if request else []

    def get_detail(self, proposal) -> str:
        if proposal.status == RightsProposal.Status.PENDING:
            return _("Waiting for the standing committee's confirmation.")
        return str(proposal.get_status_display())


class ProposalFilter(filters.FilterSet):
    congress = filters.NumberFilter(field_name="congress_id", min_value=1, max_value=10**18)

    class Meta:
        model = RightsProposal
        fields = ["congress", "status"]


def proposal_get(user, pk) -> RightsProposal:
    found = proposals_seen_by(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("Not found.")
    return found


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals of changes of rights: the standing committee's head or deputy confirms or
    rejects them (`confirm`, `reject` with a reason); who made one may `withdraw` it."""

    lookup_value_regex = ID
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = ProposalFilter

    def get_queryset(self):
        return (
            proposals_seen_by(self.request.user)
            .select_related("congress")
            .order_by("-proposed_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "transition":
            return TransitionInputSerializer
        return ProposalSerializer

    @extend_schema(
        request=TransitionInputSerializer,
        responses=ProposalSerializer,
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]{1,40})")
    def transition(self, request, pk=None, name=None):
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal_transition(
            actor=request.user, proposal_id=int(pk), name=name, **serializer.validated_data
        )
        found = proposal_get(request.user, pk)
        return Response(ProposalSerializer(found, context=self.get_serializer_context()).data)
