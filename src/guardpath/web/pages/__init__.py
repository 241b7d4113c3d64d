"""Public pages, one module per area: the checks, the application, its status."""
