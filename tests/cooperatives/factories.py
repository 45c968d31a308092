import factory

from cooperatives.models import Cooperative, Membership
from tests.core.factories import UserFactory


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Cooperative {n}")
    slug = factory.Sequence(lambda n: f"cooperative-{n}")
    province = "Gia Lai"
    district = "Chư Sê"
    commune = "Ia Blang"
    contact_name = "Nguyễn Thị Hoa"
    email = factory.Sequence(lambda n: f"coop{n}@example.org")
    status = Cooperative.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    role = Membership.Role.OWNER
