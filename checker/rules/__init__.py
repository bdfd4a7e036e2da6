"""Rulesets, metrics and the evaluation engine. Pure Python: never imports ifcopenshell."""
