"""The web UI in Debian's headless Chromium, driven by Playwright, against a real server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path(os.environ.get("NEWSAUDIT_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling out on a closed network.
# How a highlight looks, whichever way its layer marks it.
LOOK = """e => { const s = getComputedStyle(e);
  return [s.fontWeight, s.backgroundColor, s.backgroundImage, s.borderBottomStyle,
          s.textDecorationLine, s.fontStyle].join("|"); }"""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path_factory.mktemp("browser") / "ui.db"
    log = tmp_path_factory.mktemp("browser-log") / "server.log"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("NEWSAUDIT_TOKEN", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsaudit",
                "serve",
                "--port",
                str(port),
                "--db",
                f"sqlite:///{db}",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.3)
    yield base, f"sqlite:///{db}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must install Chromium at {CHROMIUM} (bash .ci/setup-services)")
        pytest.skip(f"no Chromium at {CHROMIUM}: run bash .ci/setup-services")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_paste_sample_see_highlights_tooltip_and_layers(
    server: str, page, sample_path: Path
) -> None:
    server, _ = server
    page.goto(server + "/")
    page.fill("#text", sample_path.read_text(encoding="utf-8"))
    page.click("#analyze")
    page.wait_for_url("**/articles/*")
    highlights = page.locator("#article .hl")
    assert highlights.count() > 0
    toggles = page.locator(".layer-toggle input")
    layers = [toggles.nth(i).get_attribute("data-layer") for i in range(toggles.count())]
    assert layers, "the legend offers no layer"

    first = page.locator(f"#article .hl.l-{layers[0]}").first
    first.scroll_into_view_if_needed()
    first.hover()
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip().lower().startswith(layers[0].rstrip("s")[:5].lower())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-tooltip.png"), full_page=False)

    styled_before = first.evaluate(LOOK)
    page.locator(f'.layer-toggle input[data-layer="{layers[0]}"]').uncheck()
    assert f"hide-{layers[0]}" in page.evaluate("document.body.className")
    styled_after = first.evaluate(LOOK)
    assert styled_after != styled_before, "hiding a layer must change how its highlights look"
    page.locator(f'.layer-toggle input[data-layer="{layers[0]}"]').check()
    assert f"hide-{layers[0]}" not in page.evaluate("document.body.className")
    assert first.evaluate(LOOK) == styled_before
    assert page.dialogs == []


def test_malicious_markup_stays_text(server, page) -> None:
    server, _ = server
    evil = (
        "Schlagzeile <img src=x onerror=\"alert('img')\">\n\n"
        "Die Regierung plant neue Steuern. <script>alert('script'); window.__pwned = true</script> "
        "Ein Link: <a href=\"javascript:alert('link')\">hier</a>. Die Opposition ist dagegen."
    )
    page.goto(server + "/")
    page.fill("#text", evil)
    page.click("#analyze")
    page.wait_for_url("**/articles/*")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#article img, #article script, #article a").count() == 0
    assert "<script>alert('script')" in page.locator("#article").inner_text()
    assert page.dialogs == []


def test_dashboard_after_a_batch(server, page, synthetic, make_report, tmp_path: Path) -> None:
    from newsaudit.store import Store

    server, db_url = server
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synthetic(30)), encoding="utf-8"
    )
    before = httpx.get(server + "/api/stats").json()["articles"]
    page.goto(server + "/corpus")
    page.set_input_files('input[name="file"]', str(corpus))
    page.click("#upload-batch")
    page.wait_for_url("**/batches/*")
    page.wait_for_selector('#batch-status[data-status="done"]', timeout=120_000)
    assert "30 stored" in page.locator("#batch-status").inner_text()
    page.click("#to-corpus")
    page.wait_for_url("**/corpus")
    stats = httpx.get(server + "/api/stats").json()
    assert stats["articles"] == before + 30
    assert page.locator("#corpus-count strong").inner_text() == str(before + 30)
    assert page.locator("#dashboard figure").count() == 4
    for label, data in _charts(stats).items():
        assert page.locator(f'svg[aria-label="{label}"]').count() == (1 if data else 0), label
    assert page.locator("#articles tr").count() == 26  # header + a page of 25
    page.select_option('select[name="source"]', "nordblatt.example")
    page.click(".filters button")
    page.wait_for_url("**/corpus?**")
    assert page.locator("#corpus-count strong").inner_text() == "10"

    # Articles with every layer (hand-made reports, as analyzers of other issues would give)
    # so that each chart is drawn in the browser whatever analyzers this checkout has.
    store = Store(db_url)
    for i, (outlet, month) in enumerate(
        [("a.example", "01"), ("b.example", "02"), ("a.example", "03")]
    ):
        text = f"Minister Eva Lind warnt in Kassel vor einer Katastrophe. Fall {i}."
        store.add(
            make_report(
                text,
                id=f"hand-{i}",
                source=outlet,
                date=f"2024-{month}-10",
                entities=(("Eva Lind", "PER"), ("Kassel", "LOC")),
                speakers=("Eva Lind",),
                techniques=("Loaded_Language",) + (("Doubt",) if i else ()),
            )
        )
    store.close()
    page.goto(server + "/corpus")
    for label in _charts(stats):
        assert page.locator(f'svg[aria-label="{label}"]').count() == 1, label
    # Each bar says exactly what the API counts (whatever the quote analyzer found as well).
    speakers = httpx.get(server + "/api/stats").json()["top_speakers"]
    assert any(s["name"] == "Eva Lind" and s["quotes"] >= 3 for s in speakers)
    titles = page.locator('svg[aria-label="Most quoted speakers"] g title')
    assert [titles.nth(i).text_content() for i in range(titles.count())] == [
        f"{s['name']}: {s['quotes']} quotes in {s['articles']} articles" for s in speakers
    ]
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def _charts(stats: dict) -> dict[str, list]:
    return {
        "Techniques by outlet": stats["techniques_by_source"],
        "Techniques over time": stats["techniques_over_time"],
        "Most quoted speakers": stats["top_speakers"],
        "Most named entities": stats["top_entities"],
    }


def test_compare_page_pastes_both_texts_and_links_changes(server, page) -> None:
    server, _ = server
    page.goto(server + "/compare")
    page.fill(
        "#article",
        "Außenministerin Ana Ruiz sprach eine offene Drohung aus: Wenn das "
        "Embargo anhalte, könnten der Region ernste Lebensmittelengpässe drohen.",
    )
    page.fill(
        "#source",
        'Foreign minister Ana Ruiz said: "If the embargo continues, the region '
        'may face serious food shortages."',
    )
    page.click("#compare")
    rows = page.locator("tr.cmp-finding")
    rows.first.wait_for()
    assert rows.count() == 1 and rows.first.get_attribute("data-kind") == "speech_act_reframed"
    mark = page.locator(".cmp-change a").first
    assert "offene Drohung" in mark.inner_text()
    mark.click()
    assert page.evaluate("location.hash") == "#f0"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    assert page.dialogs == []
