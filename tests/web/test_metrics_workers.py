"""With several workers (`serve --workers N`), any worker's /metrics sums what every worker
counted, and a worker that stopped takes its gauges with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from guardpath.web.metrics.registry import MULTIPROCESS_FOLDER, shared_between_workers

WORKER = """
import sys
from guardpath.web.metrics import Metrics

metrics = Metrics()
for _ in range(int(sys.argv[1])):
    metrics.observe_request("/healthz", "GET", 200, 0.002)
metrics.submissions.inc()
metrics.db_pool_size.set(5)
if sys.argv[2] == "stops":
    metrics.process_ended()
sys.stdout.write(metrics.exposition().decode())
"""


def worker(folder: Path, requests: int, ending: str) -> str:
    env = {**os.environ, MULTIPROCESS_FOLDER: str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(requests), ending],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def values(text: str) -> dict[str, float]:
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if not sample.labels or sample.labels.get("route") == "/healthz"
        if not sample.name.endswith(("_bucket", "_created"))
    }


def test_it_sums_every_workers_counts_and_the_gauges_of_the_live_ones(tmp_path: Path) -> None:
    worker(tmp_path, 3, "stops")
    worker(tmp_path, 4, "runs")
    seen = values(worker(tmp_path, 0, "runs"))

    assert seen["guardpath_http_requests_total"] == 7
    assert seen["guardpath_http_request_duration_seconds_count"] == 7
    assert seen["guardpath_submissions_total"] == 3
    assert seen["guardpath_db_pool_size"] == 10  # the two still running, not the one that stopped


def test_it_gives_the_workers_a_fresh_folder_and_removes_it(monkeypatch) -> None:
    monkeypatch.delenv(MULTIPROCESS_FOLDER, raising=False)
    with shared_between_workers(True):
        folder = Path(os.environ[MULTIPROCESS_FOLDER])
        assert folder.is_dir() and not any(folder.iterdir())
    assert MULTIPROCESS_FOLDER not in os.environ
    assert not folder.exists()

    with shared_between_workers(False):
        assert MULTIPROCESS_FOLDER not in os.environ
