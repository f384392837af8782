"""HTTP edge: REST API under /api/v1 and the HTML pages."""
