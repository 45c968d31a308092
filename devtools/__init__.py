"""Test and demo tooling that is not part of the product: nothing in the apps' own code paths
depends on it, except the demo loader (``manage.py seed_demo``), which writes its example
exports with it."""
