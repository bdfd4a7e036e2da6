"""One module per rule family; each exposes an explicit METRICS dict."""
