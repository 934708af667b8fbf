"""The web page: static files served by the same app (no CDN, works offline)."""
