"""The dashboards' tables as downloads: for each page, its tables by name, each a header and
rows built from what the page's selector already returned (no query of their own)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .templatetags.dashboards import buyers_text


@dataclass
class Table:
    header: list[str]
    rows: Iterable[Sequence]


def buyers_cell(count, partial: bool):
    """A number when every order named its buyer, else the words a page shows."""
    if count is not None and not partial:
        return count
    return buyers_text(count, partial)


# --- Programme ------------------------------------------------------------------------------


def programme_tables(rollup: dict) -> dict[str, Callable[[], Table]]:
    from .selectors import CAPACITY_DIMENSIONS, PROGRAMME_DIMENSIONS

    def groups(dimension: str) -> Table:
        return Table(
            [_("Group"), _("Currency"), _("Gross GMV"), _("Net GMV"), _("Units"), _("Products")],
            (
                [entry["label"], entry["currency"], entry["gross_gmv"], entry["net_gmv"],
                 entry["unit_count"], entry["products"]]
                for entry in rollup[dimension]
            ),
        )  # fmt: skip

    def capacity(dimension: str) -> Table:
        return Table(
            [_("Group"), _("Products with a monthly capacity"), _("Units sold"),
             _("Capacity over the period"), _("Share of capacity sold")],
            (
                [entry["label"], entry["products"], entry["units_sold"], entry["capacity"],
                 entry["share"]]
                for entry in rollup["capacity"][dimension]
            ),
        )  # fmt: skip

    def plan() -> Table:
        return Table(
            [_("Month"), _("Programme"), _("Group"), _("Currency"), _("Target gross GMV"),
             _("Gross GMV"), _("GMV achieved"), _("Target units"), _("Units"),
             _("Units achieved")],
            (
                [entry["month"], entry["dimension_label"], entry["label"], entry["currency"],
                 entry["target_gmv"], entry["actual_gmv"], entry["gmv_achieved"],
                 entry["target_units"], entry["actual_units"], entry["units_achieved"]]
                for entry in rollup["plan"]
            ),
        )  # fmt: skip

    tables: dict[str, Callable[[], Table]] = {
        dimension: (lambda dimension=dimension: groups(dimension))
        for dimension in PROGRAMME_DIMENSIONS
    }
    for dimension in CAPACITY_DIMENSIONS:
        tables[f"capacity-{dimension}"] = lambda dimension=dimension: capacity(dimension)
    tables["plan"] = plan
    return tables


def target_tables(targets) -> dict[str, Callable[[], Table]]:
    def listed() -> Table:
        return Table(
            [_("Month"), _("Programme"), _("Group"), _("Currency"), _("Target gross GMV"),
             _("Target units"), _("Note")],
            (
                [target.month, target.get_dimension_display(), target.group_label,
                 target.currency, target.target_gmv, target.target_units, target.note]
                for target in targets
            ),
        )  # fmt: skip

    return {"targets": listed}
