"""Consultation invitations of a document (ARCHITECTURE §6):
`GET, POST /api/v1/documents/{id}/invitations/`, `DELETE .../{iid}/` (revoke) and
`POST .../{iid}/resend/`. The link is in the answer to the POST that made it (or to a
resend) and nowhere else: only its hash is kept."""

from urllib.parse import urlsplit

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.models import Organization
from workflows.models import ConsultationInvitation, OutsideBody
from workflows.selectors.documents import document_get
from workflows.services.invitations import (
    check_may_invite,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from workflows.services.outside_bodies import (
    outside_bodies_import,
    outside_bodies_of,
    outside_body_create,
    outside_body_delete,
)


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ConsultationInvitation
        fields = [
            "id",
            "document",
            "round",
            "organization",
            "name",
            "email",
            "contact",
            "status",
            "sent_at",
            "opened_at",
            "answered_at",
            "revoked_at",
            "created_at",
            "comment_count",
        ]
        read_only_fields = fields

    def get_status(self, invitation) -> str:
        return invitation.status_at(self.context.get("now") or timezone.now())


class InvitationIssuedSerializer(InvitationSerializer):
    url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The organization's link, shown only here; null while the invitation waits "
        "for the consultation to open (it is emailed then).",
    )

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "url"]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    email = serializers.CharField(max_length=254)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class InvitationResendSerializer(serializers.Serializer):
    email = serializers.CharField(
        required=False,
        max_length=254,
        help_text="A corrected address; the invitation's own when left out.",
    )


def _issued(issued, request) -> dict:
    invitation = issued.invitation
    invitation.refresh_from_db()
    invitation.comment_count = invitation.comments.count()
    data = InvitationSerializer(invitation).data
    # The link as the client reached this server (the email sent with it uses SITE_URL).
    url = issued.url and request.build_absolute_uri(urlsplit(issued.url).path)
    return {**data, "url": url}


class InvitationListView(mixins.ListModelMixin, generics.GenericAPIView):
    """The organizations invited to comment on the document, with what became of each link."""

    # ListModelMixin tells the schema that GET answers a paginated list; `get` is our own.
    queryset = ConsultationInvitation.objects.none()

    serializer_class = InvitationSerializer

    def _document(self, request, pk):
        document = document_get(request.user, pk)
        check_may_invite(document, request.user)
        return document

    def get(self, request, pk):
        document = self._document(request, pk)
        invitations = (
            document.invitations.select_related("document__body", "delivery")
            .annotate(comment_count=Count("comments"))
            .order_by("-round", "name", "id")
        )
        page = self.paginate_queryset(invitations)
        for invitation in page:
            invitation.document = document  # its status reads the kind's steps already read
        context = {"now": timezone.now()}
        return self.get_paginated_response(
            InvitationSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationIssuedSerializer})
    def post(self, request, pk):
        document = self._document(request, pk)
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = invitation_create(
            actor=request.user, document_id=document.pk, **serializer.validated_data
        )
        return Response(_issued(issued, request), status=status.HTTP_201_CREATED)


class InvitationDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, iid):
        """Revoke the invitation: its link answers 410 from now on."""
        invitation_revoke(actor=request.user, document_id=pk, invitation_id=iid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResendView(APIView):
    @extend_schema(request=InvitationResendSerializer, responses=InvitationIssuedSerializer)
    def post(self, request, pk, iid):
        """Email a new link (the old one stops working)."""
        serializer = InvitationResendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = invitation_resend(
            actor=request.user, document_id=pk, invitation_id=iid, **serializer.validated_data
        )
        return Response(_issued(issued, request))


class OutsideBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = OutsideBody
        fields = ["id", "congress", "name", "email", "contact", "created_at"]
        read_only_fields = ["id", "congress", "created_at"]
        extra_kwargs = {"email": {"validators": []}}


class OutsideBodyListView(mixins.ListModelMixin, generics.GenericAPIView):
    """`GET, POST /api/v1/congresses/{id}/outside-bodies/`: the outside bodies the congress
    consults, chosen from when inviting organizations to comment."""

    queryset = OutsideBody.objects.none()
    serializer_class = OutsideBodySerializer

    def get(self, request, pk):
        _congress, bodies = outside_bodies_of(request.user, pk)
        page = self.paginate_queryset(bodies)
        return self.get_paginated_response(OutsideBodySerializer(page, many=True).data)

    @extend_schema(request=OutsideBodySerializer, responses={201: OutsideBodySerializer})
    def post(self, request, pk):
        serializer = OutsideBodySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = outside_body_create(actor=request.user, congress_id=pk, **serializer.validated_data)
        return Response(OutsideBodySerializer(body).data, status=status.HTTP_201_CREATED)


class OutsideBodyDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, bid):
        outside_body_delete(actor=request.user, congress_id=pk, outside_body_id=bid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OutsideBodyImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx or .csv: name, email, contact person")


class OutsideBodyImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": OutsideBodyImportSerializer}, responses=None)
    def post(self, request, pk):
        """Add outside bodies from a spreadsheet: a result per row."""
        serializer = OutsideBodyImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = outside_bodies_import(
            actor=request.user, congress_id=pk, file=serializer.validated_data["file"]
        )
        counts = {outcome: 0 for outcome in ("added", "already", "refused")}
        for row in rows:
            counts[row.outcome] += 1
        return Response({**counts, "rows": [vars(row) for row in rows]})
