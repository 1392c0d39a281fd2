"""Random and mutated bytes to every reader (issue 33): each file is parsed or skipped with a
one-line reason, no other exception escapes, and no file takes long or much memory.
`bench/fuzz.py` runs the same inputs longer and records the worst file."""

import resource
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as run_with

from index.settings import Settings
from tests.fuzz_inputs import FORMATS, inputs, read_as_ingest

EXAMPLES = 100  # per format, in the ordinary run; bench/fuzz.py runs thousands
SECONDS = 10.0  # at most, for one file of at most 4 kB, in this process


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_reader_parses_or_refuses_with_a_reason(suffix: str) -> None:
    before = peak_mb()
    worst = [0.0]

    @run_with(
        max_examples=EXAMPLES,
        deadline=None,  # the first file loads the language model; each is timed below
        database=None,  # nothing written into the checkout
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=inputs(suffix))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(data_dir=Path(folder) / "data")
            started = time.perf_counter()
            reasons = read_as_ingest(Path(folder), suffix, data, settings)
            seconds = time.perf_counter() - started
        for reason in reasons:
            assert reason and "\n" not in reason, reason
        worst[0] = max(worst[0], seconds)
        assert seconds < SECONDS, (seconds, data[:200])

    check()
    assert peak_mb() - before < 500  # the process's high-water mark barely moved
