"""Reads for the dashboards, one module per page: sums over the roll-up tables, never over raw
order lines.

Who may read what: officials and bureau staff read every figure; a host the sessions they
appear in; a cooperative member their cooperative's sales. Each page's entry point takes the
user and refuses (PermissionDenied) when they may not read it, so a view that forgets its
own check cannot leak figures.
"""

from .common import (
    MAX_PERIOD_DAYS,
    Period,
    can_view_all_sales,
    local_today,
    require_all_sales,
)
from .cooperatives import (
    COOPERATIVE_SORTS,
    cooperative_sales,
    cooperative_table,
    cooperatives_visible_to,
)
from .delivery import delivery_rates
from .hosts import host_comparison
from .overview import (
    channel_sales,
    daily_trend,
    monthly_report,
    overview,
    period_kpis,
    sessions_held,
    top_channels,
    top_cooperatives,
    top_hosts,
    top_products,
    upcoming_sessions,
)
from .periods import default_period
from .programme import (
    CAPACITY_DIMENSIONS,
    PROGRAMME_DIMENSIONS,
    month_share,
    programme_rollup,
    programme_targets,
)
from .session_page import session_detail, session_page
from .sessions import (
    SESSION_FILTERS,
    SESSION_SORTS,
    can_view_session,
    session_row,
    sessions_table,
    table_filter_choices,
)

__all__ = [
    "default_period",
    "CAPACITY_DIMENSIONS",
    "COOPERATIVE_SORTS",
    "MAX_PERIOD_DAYS",
    "PROGRAMME_DIMENSIONS",
    "SESSION_FILTERS",
    "SESSION_SORTS",
    "Period",
    "can_view_all_sales",
    "can_view_session",
    "channel_sales",
    "cooperative_sales",
    "cooperative_table",
    "cooperatives_visible_to",
    "daily_trend",
    "delivery_rates",
    "host_comparison",
    "local_today",
    "month_share",
    "monthly_report",
    "overview",
    "period_kpis",
    "programme_rollup",
    "programme_targets",
    "require_all_sales",
    "session_detail",
    "session_page",
    "session_row",
    "sessions_held",
    "sessions_table",
    "table_filter_choices",
    "top_channels",
    "top_cooperatives",
    "top_hosts",
    "top_products",
    "upcoming_sessions",
]
