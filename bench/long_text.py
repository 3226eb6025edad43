"""Long texts without line breaks: does ``newsaudit analyze`` grow linearly with the text?

Runs the real command in a subprocess, as a user would, on a generated German text of about
2 MB without a single line break and on one of 200 KB (the baseline, measured in the same
run), and reports wall time, CPU time and peak memory of each and their ratios (a ratio near
10 means linear). The texts recombine hand-written German sentences (no news text) with
varying names, places and numbers, so names and keywords recur as they do in real articles.

    OMP_NUM_THREADS=1 python bench/long_text.py [--analyzers keywords] [--large-bytes 2000000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, print_table, write_results  # noqa: E402

NAMES = ("Anna Berger", "Max Roth", "Lena Vogel", "Paul Kern", "Eva Lind", "Jonas Hart")
PLACES = ("Kassel", "Bremen", "Leipzig", "Hinterfeld", "Ulm", "Görlitz", "Passau")
THINGS = ("die Brücke", "das Hallenbad", "die Bibliothek", "der Radweg", "die Schule")
SENTENCES = (
    "Die Stadtverwaltung von {place} hat am {day} einen Plan für {thing} vorgestellt.",
    "Nach Angaben der Behörde kostet das Vorhaben rund {number} Millionen Euro.",
    "„Wir wollen, dass alle etwas davon haben“, sagte {name} bei der Vorstellung.",
    "{name} erklärte, man habe die Pläne seit Jahren mit den Anwohnern besprochen.",
    "Kritiker halten den Entwurf für zu teuer und verweisen auf die leeren Kassen.",
    "Die Opposition im Rat von {place} kündigte an, den Haushalt genau zu prüfen.",
    "Ob die Arbeiten im Frühjahr {year} beginnen können, ist noch offen.",
    "Im Umland warten viele Gemeinden seit Langem auf eine bessere Anbindung.",
    "Eine Umfrage unter {number}00 Haushalten zeigt, dass die Mehrheit den Plan begrüßt.",
    "{name} sagte, die Verwaltung habe die Bedenken der Bürger nicht ernst genommen.",
    "Der Landkreis will das Projekt mit Fördermitteln des Landes unterstützen.",
    "Bis zum Sommer soll ein Gutachten klären, wie sich der Verkehr verändert.",
    "Anwohner beklagen schon jetzt Lärm, volle Straßen und fehlende Parkplätze.",
    "Der Verein der Gewerbetreibenden in {place} sieht vor allem Chancen für den Handel.",
    "„Das ist ein guter Tag für {place}“, sagte {name} am Abend.",
    "Die Sitzung des Ausschusses dauerte mehr als {number} Stunden.",
    "Wegen der gestiegenen Baupreise musste die Stadt den Zeitplan zweimal ändern.",
    "Ein Sprecher des Ministeriums sagte, man prüfe den Antrag wohlwollend.",
    "Die Grünen fordern, {thing} solle klimafreundlich und barrierefrei werden.",
    "Auf der Bürgerversammlung kamen am {day} mehr als {number}0 Menschen zusammen.",
    "Viele Eltern wünschen sich vor allem sichere Wege für ihre Kinder.",
    "Der Bürgermeister versprach, die Ergebnisse im Internet zu veröffentlichen.",
    "Ob der Zuschuss reicht, hängt auch von den Zinsen der nächsten Jahre ab.",
    "{name} warf der Stadtspitze vor, die Zahlen lange zurückgehalten zu haben.",
)
DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag")


def german_text(n_bytes: int, seed: int = 17) -> str:
    """At most ``n_bytes`` bytes (UTF-8) of German sentences on one line."""
    rng = random.Random(seed)
    out: list[str] = []
    size = -1
    while True:
        sentence = rng.choice(SENTENCES).format(
            name=rng.choice(NAMES),
            place=rng.choice(PLACES),
            thing=rng.choice(THINGS),
            day=rng.choice(DAYS),
            number=rng.randint(2, 90),
            year=rng.randint(2025, 2030),
        )
        sentence = sentence[0].upper() + sentence[1:]
        added = len(sentence.encode()) + 1
        if size + added > n_bytes:
            return " ".join(out)
        out.append(sentence)
        size += added


def run_analyze(path: Path, analyzers: str | None, out: Path) -> dict[str, float]:
    """One ``newsaudit analyze`` subprocess: wall and CPU seconds, peak RSS in MB."""
    args = [sys.executable, "-m", "newsaudit", "analyze", str(path), "-f", "json", "-o", str(out)]
    if analyzers:
        args += ["--analyzers", analyzers]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OMP_NUM_THREADS": "1"}
    began = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"newsaudit analyze failed on {path}:\n{stderr}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "report_mb": round(out.stat().st_size / 1_048_576, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--analyzers", help="Comma-separated subset (default: all analyzers).")
    parser.add_argument("--large-bytes", type=int, default=2_000_000)
    parser.add_argument("--small-bytes", type=int, default=200_000)
    args = parser.parse_args()

    figures: dict[str, object] = {"analyzers": args.analyzers or "all"}
    with tempfile.TemporaryDirectory(prefix="newsaudit-long-") as tmp:
        sizes = (("startup", 100), ("small", args.small_bytes), ("large", args.large_bytes))
        for label, n_bytes in sizes:
            text = german_text(n_bytes)
            path = Path(tmp) / f"{label}.txt"
            path.write_text(text, encoding="utf-8")
            measured = run_analyze(path, args.analyzers, Path(tmp) / f"{label}.json")
            figures[label] = {"bytes": len(text.encode()), "chars": len(text), **measured}
    startup, small, large = figures["startup"], figures["small"], figures["large"]
    assert isinstance(startup, dict) and isinstance(small, dict) and isinstance(large, dict)
    keys = ("bytes", "wall_s", "cpu_s", "peak_rss_mb")
    figures["ratio"] = {key: round(large[key] / small[key], 2) for key in keys if small[key]}
    figures["ratio_without_startup"] = {
        key: round((large[key] - startup[key]) / (small[key] - startup[key]), 2)
        for key in keys
        if small[key] > startup[key]
    }
    rows = [("analyzers", str(figures["analyzers"]))]
    for label in ("startup", "small", "large"):
        data = figures[label]
        assert isinstance(data, dict)
        rows.append(
            (
                f"{label} ({data['bytes']:,} bytes)",
                f"{data['wall_s']} s wall, {data['cpu_s']} s CPU, "
                f"{data['peak_rss_mb']} MB peak RSS",
            )
        )
    for key, title in (
        ("ratio", "large/small"),
        ("ratio_without_startup", "same, net of start-up"),
    ):
        ratio = figures[key]
        assert isinstance(ratio, dict)
        rows.append((title, ", ".join(f"{k} x{v}" for k, v in ratio.items())))
    print_table(rows)
    description = (
        "generated German text without line breaks (recombined hand-written sentences), "
        f"{args.small_bytes:,} and {args.large_bytes:,} bytes, and one sentence for the "
        "start-up cost; `newsaudit analyze -f json` in a subprocess, OMP_NUM_THREADS=1"
    )
    name = "long_text" if not args.analyzers else f"long_text_{args.analyzers.replace(',', '_')}"
    print(f"wrote {write_results(name, figures, description)}")


if __name__ == "__main__":
    main()
