"""`greencheck batch`: many models checked by a pool of isolated children, one dashboard and summary over them.

inputs (which files) -> engine (pool, skip on unchanged input) -> summary (rows, indicators) -> dashboard (HTML).
"""
