"""greencheck: check IFC models against Chinese green-building rulesets."""

__version__ = "0.1.0"
