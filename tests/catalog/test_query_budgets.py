"""Query budgets of every list page and list endpoint (STYLE.md habit 7).

Each budget is pinned for a small and a larger data set, so the count is shown not to grow with
the rows. "Session" below is the three queries every signed-in request makes: the session row,
the user, and the user's role names (core.roles.role_names); "membership" is the member's
cooperative ids (cooperatives.selectors.member_cooperative_ids).
"""

import pytest
from django.urls import reverse

from catalog.models import Product
from tests.catalog.factories import (
    CertificationFactory,
    DisplayFactory,
    DisplaySlotFactory,
    PlatformListingFactory,
    ProductFactory,
    add_photo,
)
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def fill(cooperative, count: int) -> None:
    """`count` approved products with two photos, a listing, a certification and a display;
    and `count` submitted ones waiting for review, in as many other cooperatives."""
    for _ in range(count):
        product = ProductFactory(cooperative=cooperative)
        add_photo(product)
        add_photo(product)
        PlatformListingFactory(product=product)
        CertificationFactory(cooperative=cooperative, product=product)
        DisplayFactory(product=product, slot=DisplaySlotFactory())
        ProductFactory(cooperative=CooperativeFactory(), status=Product.Status.SUBMITTED)


# url -> {persona: (queries, what they are)}
BUDGETS = {
    reverse("catalog:showcase"): {
        # count of products; distinct origins; categories; the page of products; their primary
        # photos; their current certifications.
        "anonymous": 6,
        # the same plus the session.
        "staff_client": 9,
    },
    reverse("catalog:floor-plan"): {
        # the bases; zones with their base; their slots; the current displays with product and
        # cooperative; their primary photos.
        "anonymous": 5,
        # the same plus the session, plus the slots and approved products of the display form.
        "staff_client": 10,
    },
    reverse("catalog:product-list"): {
        # session; count; "may create" (an editable cooperative exists); the page of products
        # with cooperative and category; their primary photos.
        "staff_client": 7,
        # the same plus membership.
        "coop_client": 8,
    },
    reverse("catalog:certification-list"): {
        # session; count; "may create"; the page with cooperative and product.
        "staff_client": 6,
        # the same plus membership.
        "coop_client": 7,
    },
    reverse("catalog:review-queue"): {
        # session; submitted products with cooperative and category; their primary photos.
        "staff_client": 5,
    },
    reverse("cooperatives:list"): {
        # session; cooperatives with their reviewer.
        "staff_client": 4,
        # session; membership; their cooperatives.
        "coop_client": 5,
    },
    "/api/v1/cooperatives/": {
        # session; count; the page with reviewer.
        "staff_client": 5,
        "coop_client": 6,  # plus membership
    },
    "/api/v1/products/": {
        # session; count; the page; all their photos.
        "staff_client": 6,
        "coop_client": 7,  # plus membership
    },
    "/api/v1/listings/": {
        # session; count; the page.
        "staff_client": 5,
        "coop_client": 6,  # plus membership
    },
    "/api/v1/certifications/": {
        # session; count; the page.
        "staff_client": 5,
        "coop_client": 6,  # plus membership
    },
    "/api/v1/zones/": {
        # session; count; the page; their slots.
        "staff_client": 6,
        "official_client": 6,
    },
    "/api/v1/display-slots/": {
        # session; count; the page.
        "staff_client": 5,
    },
    "/api/v1/displays/": {
        # session; count; the page with slot, zone and product.
        "staff_client": 5,
        "coop_client": 5,
    },
}

BUDGETS[reverse("catalog:showcase-cooperative", args=["chu-se-coffee"])] = {
    # the cooperative; its current certifications; its approved products; their primary
    # photos; their current certifications.
    "anonymous": 5,
}

CASES = [(url, persona) for url, personas in BUDGETS.items() for persona in personas]


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize(("url", "persona"), CASES)
def test_the_list_stays_within_its_query_budget(
    request, django_assert_num_queries, cooperative, url, persona, rows
):
    client = request.getfixturevalue(persona)
    fill(cooperative, rows)
    with django_assert_num_queries(BUDGETS[url][persona]):
        response = client.get(url)
    assert response.status_code == 200
