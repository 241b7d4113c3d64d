"""The broken properties, by layer, in the order they run."""

from __future__ import annotations

from mutations import adapters, services, web
from mutations.model import Mutation, write_source

MUTATIONS: tuple[Mutation, ...] = (*adapters.MUTATIONS, *services.MUTATIONS, *web.MUTATIONS)

__all__ = ["MUTATIONS", "Mutation", "write_source"]
