"""One transition helper for the three workflows: a status moves by a conditional update, and
the history records the status the update replaced, even when the page's copy was stale."""

import pytest

from catalog import services as catalog_services
from catalog.models import Product, ProductReview
from cooperatives import services as cooperative_services
from cooperatives.models import Cooperative, CooperativeReview
from core.transitions import move_status
from tests.catalog.factories import ProductFactory
from tests.cooperatives.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def test_a_move_returns_the_status_it_replaced_and_refuses_a_row_in_no_source_status():
    product = ProductFactory(status=Product.Status.SUBMITTED)

    assert (
        move_status(
            Product, pk=product.pk, sources={Product.Status.DRAFT}, target=Product.Status.APPROVED
        )
        is None
    )
    product.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED  # nothing changed

    assert (
        move_status(
            Product,
            pk=product.pk,
            sources={Product.Status.SUBMITTED},
            target=Product.Status.APPROVED,
        )
        == Product.Status.SUBMITTED
    )
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED


def test_a_product_review_records_the_status_it_moved_from_not_the_pages_stale_copy(
    bureau_staff,
):
    product = ProductFactory(status=Product.Status.DRAFT)
    stale = Product.objects.get(pk=product.pk)
    # Another request submits the product after this page read it as a draft.
    Product.objects.filter(pk=product.pk).update(status=Product.Status.SUBMITTED)

    catalog_services.archive_product(product=stale, actor=bureau_staff)

    review = ProductReview.objects.get(product=product, action=ProductReview.Action.ARCHIVED)
    assert (review.from_status, review.to_status) == ("submitted", "archived")


def test_a_cooperative_review_records_the_status_it_moved_from_not_the_pages_stale_copy(
    bureau_staff,
):
    cooperative = CooperativeFactory(status=Cooperative.Status.PENDING)
    stale = Cooperative.objects.get(pk=cooperative.pk)
    # Meanwhile others approved it, then suspended it: approving starts from either.
    Cooperative.objects.filter(pk=cooperative.pk).update(status=Cooperative.Status.SUSPENDED)

    cooperative_services.review_cooperative(
        cooperative=stale, reviewer=bureau_staff, decision="approved", reason="Audit done."
    )

    review = CooperativeReview.objects.get(cooperative=cooperative, action="approved")
    assert (review.from_status, review.to_status) == ("suspended", "approved")
    assert review.reason == "Audit done."
