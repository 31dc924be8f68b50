"""The probe set (tests/probe: notices written here in shapes the real corpus lacks, each in the format it would
be published in; its README says the class of text of each) scored by bench/real.py as the corpus is: no figure
may fall below those kept in tests/probe/score.json (`make bench-probe UPDATE=1` raises them)."""
import json
from pathlib import Path

from bench import real as bench_real

PROBE = Path(__file__).resolve().parent / "probe"
KEPT = PROBE / "score.json"


def test_probe_score_does_not_fall():
    missing, worse = bench_real.worse_than_kept(PROBE, KEPT)
    assert not missing, f"{KEPT} lacks figures {missing}: run `make bench-probe UPDATE=1`"
    assert not worse, (
        "the probe-set score got worse than the figures kept in tests/probe/score.json: " + "; ".join(worse)
        + ". `make bench-probe` shows the table per file (bench/real.py --real tests/probe --details lists each "
        "miss).")


def test_every_case_file_is_in_the_truth_and_every_truth_case_has_its_file():
    truth = json.loads((PROBE / "truth.json").read_text(encoding="utf-8"))
    listed = {case["file"] for case in truth["cases"]}
    assert listed == {p.name for p in (PROBE / "cases").iterdir()}
    assert len(listed) >= 20
