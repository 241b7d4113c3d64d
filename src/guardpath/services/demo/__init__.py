"""Demo cases: invented volunteers whose cases were really run through the services, 2024 to today.

Every case gets a story drawn from the seed (who, from where, which steps, how long each takes, how
it ends); the stories then run together on a fake clock, in time order, through the same service
functions staff will use, so each history, decision, contract and audit entry is real. The law
decides what it decides: an approval the law refuses becomes a rejection with the law's reason, and
a citizenship application is prepared only once the law as of that day says yes.

Nobody here is real. The same seed and end day give the same people and stories; references, ids
and ciphertexts still come from a secure random source, as in production.

The package by part: `people` (who), `stories` (what happens to them), `running` (the stories on a
fake clock through the services) and `making` (the command's service).
"""

from __future__ import annotations

from guardpath.services.demo.making import DemoReport, make_demo_data, story_of
from guardpath.services.demo.people import FIRST_DAY, DemoError
from guardpath.services.demo.stories import STORIES, plans

__all__ = ["FIRST_DAY", "STORIES", "DemoError", "DemoReport", "make_demo_data", "plans", "story_of"]
