"""Settings package: base.py is complete and env-driven; test.py and production.py override."""
