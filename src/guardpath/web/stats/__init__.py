"""The statistics pages for analysts: aggregates only, small counts suppressed."""

from guardpath.web.stats.routes import router

__all__ = ["router"]
