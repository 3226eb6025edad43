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


# Each layer's own drawing properties; hiding one layer must leave the others' untouched.
CHANNELS = """() => {
  const props = {
    techniques: ["backgroundImage", "boxShadow"],
    cues: ["fontWeight"],
    quotes: ["color", "fontStyle"],
    claims: ["textDecorationLine", "textDecorationStyle", "textDecorationColor"],
    entities: ["borderBottomStyle", "borderBottomColor"],
    keywords: ["borderTopStyle", "borderTopColor"],
  };
  const look = {};
  for (const [layer, names] of Object.entries(props)) {
    look[layer] = [...document.querySelectorAll("#article .hl")].map(e => {
      const s = getComputedStyle(e);
      // a line or border that is not drawn has no colour to change
      return s[names[0]] === "none" && names.length > 1 ? "none" : names.map(n => s[n]).join("|");
    });
  }
  look.swatches = [...document.querySelectorAll(".legend .swatch")].map(e => {
    const s = getComputedStyle(e);
    return [s.backgroundColor, s.backgroundImage, s.boxShadow, s.borderBottom, s.borderTop,
            s.width].join("|");
  });
  return look;
}"""


def _in_viewport(locator) -> bool:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
    )


@pytest.fixture(scope="module")
def sample_article(server, sample_path: Path) -> int:
    base, _ = server
    response = httpx.post(
        base + "/api/analyze", json={"text": sample_path.read_text(encoding="utf-8")}, timeout=120
    )
    assert response.status_code in (200, 201), response.text
    return response.json()["article_id"]


def test_paste_sample_findings_link_and_scroll_to_their_passages(
    server, page, sample_path: Path
) -> None:
    base, _ = server
    page.goto(base + "/")
    page.fill("#text", sample_path.read_text(encoding="utf-8"))
    page.click("#analyze")
    page.wait_for_url("**/articles/*")
    article_id = int(page.url.rsplit("/", 1)[1])
    report = httpx.get(f"{base}/api/articles/{article_id}").json()["report"]
    findings = [f for f in report["findings"] if f["end"] > f["start"]]
    assert findings, "the sample has findings with passages"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-findings.png"))

    links = page.locator("#findings a.to-passage")
    assert links.count() == len(findings)
    assert (
        page.locator("#findings li").first.inner_text().startswith(findings[0]["sentence_de"][:40])
    )  # a German article gets the German interface
    for i, finding in enumerate(findings):
        page.evaluate("window.scrollTo(0, 0)")
        links.nth(i).click()
        focused = page.locator("#article .hl.focused")
        assert focused.count() > 0
        assert "".join(focused.all_inner_texts()) == finding["text"]
        assert _in_viewport(focused.first), f"finding {i + 1} did not scroll to its passage"
        if i == 0:
            page.screenshot(path=str(ARTIFACTS / "report-finding-followed.png"))

    # the side list does the same for each flag, and a highlight explains itself
    row = page.locator(".flag-list a.to-passage:visible").first
    row.click()
    assert _in_viewport(page.locator("#article .hl.focused").first)
    page.locator('[data-ui-lang="en"]').click()
    page.locator('.layer-toggle input[data-layer="possible"]').check()
    first = page.locator("#article .hl.tech").first
    first.scroll_into_view_if_needed()
    first.hover()
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Techniques: ")
    assert "score" in tooltip.inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-tooltip.png"))
    assert page.dialogs == []


def test_techniques_have_distinct_colours(server, page, sample_article: int) -> None:
    base, _ = server
    page.goto(f"{base}/articles/{sample_article}")
    # possible flags are drawn on request only; with them on, every technique has its colour
    page.locator('.layer-toggle input[data-layer="possible"]').check()
    looks = page.evaluate(
        """() => { const by = {};
        document.querySelectorAll("#article .hl.tech").forEach(e => {
          const t = e.dataset.t; if (t.includes(" ")) { return; }
          (by[t] = by[t] || new Set()).add(getComputedStyle(e).backgroundImage); });
        return Object.fromEntries(Object.entries(by).map(([k, v]) => [k, [...v]])); }"""
    )
    assert len(looks) >= 3, looks
    assert all(len(v) == 1 and v[0] != "none" for v in looks.values()), looks
    assert len({v[0] for v in looks.values()}) == len(looks), "two techniques share a colour"
    page.click(".palette summary")
    palette = page.locator(".palette .tswatch")
    assert palette.count() == 23
    colours = palette.evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor + getComputedStyle(e).boxShadow)"
    )
    assert len(set(colours)) == 23
    page.locator(".legend").screenshot(path=str(ARTIFACTS / "report-legend.png"))


def test_toggling_one_layer_never_recolours_another(server, page, sample_article: int) -> None:
    base, _ = server
    page.goto(f"{base}/articles/{sample_article}")
    toggles = page.locator(".layer-toggle input")
    layers = [toggles.nth(i).get_attribute("data-layer") for i in range(toggles.count())]
    assert {"techniques", "quotes", "claims", "entities", "keywords"} <= set(layers)
    checked = [toggles.nth(i).is_checked() for i in range(toggles.count())]
    assert checked == [layer == "techniques" for layer in layers], "one layer at a time"
    page.screenshot(path=str(ARTIFACTS / "report-article.png"))
    for layer in layers:
        page.locator(f'.layer-toggle input[data-layer="{layer}"]').check()
    everything = page.evaluate(CHANNELS)
    page.locator("#article").screenshot(path=str(ARTIFACTS / "report-all-layers.png"))
    for layer in [x for x in layers if x != "possible"]:
        page.locator(f'.layer-toggle input[data-layer="{layer}"]').uncheck()
        without = page.evaluate(CHANNELS)
        mine = {layer, "cues"} if layer == "techniques" else {layer}
        for channel in everything:
            if channel in mine:
                assert without[channel] != everything[channel], f"hiding {layer} changed nothing"
            else:
                assert without[channel] == everything[channel], f"hiding {layer} changed {channel}"
        page.locator(f'.layer-toggle input[data-layer="{layer}"]').check()
        assert page.evaluate(CHANNELS) == everything
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
    assert "30 of 30" in page.locator("#batch-status").inner_text()
    page.click("#to-corpus")
    page.wait_for_url("**/corpus")
    stats = httpx.get(server + "/api/stats").json()
    assert stats["articles"] == before + 30
    assert page.locator("#corpus-count strong").inner_text() == str(before + 30)
    figures = page.locator("#dashboard figure").evaluate_all("els => els.map(e => e.id)")
    assert set(figures) == {
        "fig-rates",
        "fig-credibility",
        "fig-techniques",
        "fig-time",
        "fig-speakers",
        "fig-entities",
        "fig-narratives",
    }, figures
    assert page.locator("#articles tr").count() == 26  # header + a page of 25
    page.select_option('select[name="source"]', "nordblatt.example")
    page.click(".filters button")
    page.wait_for_url("**/corpus?**")
    assert page.locator("#corpus-count strong").inner_text() == "10"

    # Articles with every layer (hand-made reports, as analyzers of other issues would give),
    # in January and March 2024 but not February, so each chart is drawn whatever this
    # checkout's analyzers find, with a month that has no articles.
    store = Store(db_url)
    for i, (outlet, month) in enumerate(
        [("a.example", "01"), ("b.example", "03"), ("a.example", "03")]
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
    stats = httpx.get(server + "/api/stats").json()
    with_articles = {m["month"] for m in stats["articles_over_time"]}
    assert "2024-02" not in with_articles
    assert page.locator('#fig-time rect.no-articles[data-month="2024-02"]').count() == 1
    drawn = set(page.locator("#fig-time circle").evaluate_all("cs => cs.map(c => c.dataset.month)"))
    assert drawn and drawn <= with_articles, "a month without articles drew a point"
    assert page.locator('#fig-time circle[data-month="2024-02"]').count() == 0
    # every outlet is listed with its n, next to the corpus baseline
    rows = page.locator("#fig-rates .rate-row")
    assert rows.count() == len([s for s in stats["sources"] if s["articles"]])
    assert "a.example n=2" in page.locator("#fig-rates").inner_text()
    assert "Corpus baseline" in page.locator("#fig-rates").inner_text()
    assert page.locator("#fig-techniques th", has_text="Loaded language").count() == 1
    # each bar says exactly what the API counts (whatever the quote analyzer found as well)
    speakers = stats["top_speakers"]
    assert any(s["name"] == "Eva Lind" and s["quotes"] >= 3 for s in speakers)
    titles = page.locator('svg[aria-label="Most quoted speakers"] g title')
    assert [titles.nth(i).text_content() for i in range(titles.count())] == [
        f"{s['name']}: {s['quotes']} quotes in {s['articles']} articles" for s in speakers
    ]
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.locator("#fig-time").screenshot(path=str(ARTIFACTS / "dashboard-over-time.png"))


def test_docs_render_their_operations(server, page) -> None:
    base, _ = server
    page.goto(base + "/docs")
    path = page.locator('.opblock-summary-path[data-path="/api/analyze"]')
    path.wait_for(state="visible", timeout=30_000)
    assert path.inner_text().strip() == "/api/analyze"
    assert page.locator('.opblock-summary-path[data-path="/api/stats"]').is_visible()
    assert page.get_by_text("Unable to render this definition").count() == 0
    page.screenshot(path=str(ARTIFACTS / "docs.png"))


def test_no_horizontal_scroll_at_390px(server, browser, sample_article: int, tmp_path) -> None:
    from newsaudit.report.html import render_html
    from newsaudit.report.model import Report

    base, _ = server
    report = Report.model_validate(
        httpx.get(f"{base}/api/articles/{sample_article}").json()["report"]
    )
    standalone = tmp_path / "report.html"
    standalone.write_text(render_html(report), encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    pages = {
        "index": base + "/",
        "corpus": base + "/corpus",
        "article": f"{base}/articles/{sample_article}",
        "missing": f"{base}/articles/999999",
        "compare": base + "/compare",
        "standalone": standalone.as_uri(),
    }
    try:
        for name, url in pages.items():
            phone.goto(url)
            width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1] == 390, f"{name} scrolls sideways: {width}"
            phone.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=name != "article")
        assert phone.locator("#error-code").count() == 0  # the standalone page is last
        phone.goto(pages["missing"])
        assert phone.locator("#error-code").inner_text().startswith("404")
    finally:
        context.close()


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
