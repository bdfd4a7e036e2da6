"""IFC in, facts out. The only package that imports ifcopenshell."""
