from rest_framework import serializers

from ..models import Cooperative
from ..services import REVIEW_MOVES


class CooperativeSerializer(serializers.ModelSerializer):
    """A cooperative's profile; status and review fields move only through the review action."""

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "slug",
            "kind",
            "name",
            "registration_number",
            "tax_number",
            "province",
            "district",
            "commune",
            "address",
            "contact_name",
            "phone",
            "email",
            "description",
            "logo",
            "status",
            "status_reason",
            "reviewed_by",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "slug",
            "logo",
            "status",
            "status_reason",
            "reviewed_by",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]


class CooperativeReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[str(value) for value in REVIEW_MOVES])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
