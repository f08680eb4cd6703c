"""The dashboard through nginx as deploy/ configures it (tests/browser/proxy.py runs it on loopback ports): a deep
link as the first request, an officer's upload with XSRF, CSV downloads, every page drawn under the
Content-Security-Policy with no violation reported, compressed and cached static files, security headers, HSTS
over TLS only, the upload cap, and Streamlit's internal addresses refused from the outside."""

from __future__ import annotations

import csv
import http.client
import json
import re
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cpb_dash.auth import hash_password
from cpb_dash.formatting import format_number
from cpb_dash.store import Store
from cpb_dash.ui.layout import PAGES
from tests.browser.charts import all_images_loaded, charts_drawn
from tests.browser.conftest import (
    Server,
    _free_port,
    copy_fixtures,
    sidebar_choices,
    start_server,
    stop_server,
    url_path,
    wait_for_app,
)
from tests.browser.proxy import NGINX, Proxy, missing, start_proxy, stop_proxy, write_config
from tests.browser.test_upload_browser import OFFICER, PASSWORD, children_in_care, revised_latest_care_population

# Every Content-Security-Policy violation the page reports, sent to the test as it happens (a page load would
# empty a list kept in the page).
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e =>
    window.cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));"""


@dataclass
class Stack:
    app: Server
    proxy: Proxy

    @property
    def url(self) -> str:
        return self.proxy.url


@contextmanager
def running_stack(tmp: Path) -> Iterator[Stack]:
    """Streamlit (a private copy of the sample data, a test officer) and nginx in front of it."""
    reason = missing()
    if reason:
        pytest.fail(reason)
    secrets = tmp / "secrets.toml"  # never the repository's .streamlit/secrets.toml
    secrets.write_text(f'[cpb.officers]\n"{OFFICER}" = "{hash_password(PASSWORD)}"\n')
    app = start_server(copy_fixtures(tmp / "data"), tmp / "streamlit.log", extra_args=["--secrets.files", str(secrets)])
    try:
        proxy = start_proxy(app.url, tmp / "nginx")
    except Exception:
        stop_server(app)
        raise
    try:
        yield Stack(app, proxy)
    finally:
        stop_proxy(proxy)
        stop_server(app)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("proxied")) as running:
        yield running


@pytest.fixture
def fresh_stack(tmp_path) -> Iterator[Stack]:
    with running_stack(tmp_path) as running:
        yield running


@dataclass
class Watched:
    """A browser tab with what it reported: CSP violations, every response's headers by URL, its WebSockets."""

    page: object
    violations: list[str] = field(default_factory=list)
    responses: dict[str, dict[str, str]] = field(default_factory=dict)
    websockets: list[str] = field(default_factory=list)
    websocket_extensions: list[str] = field(default_factory=list)  # as the server's handshake answered


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    tab = Watched(context.new_page())
    context.expose_function("cspViolation", lambda text: tab.violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    tab.page.on("console", lambda msg: "Content Security Policy" in msg.text and tab.violations.append(msg.text))
    tab.page.on("response", lambda response: tab.responses.__setitem__(response.url, response.headers))
    tab.page.on("websocket", lambda socket: tab.websockets.append(socket.url))
    devtools = context.new_cdp_session(tab.page)
    devtools.send("Network.enable")
    devtools.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda event: tab.websocket_extensions.append(
            next((v for k, v in event["response"]["headers"].items() if k.lower() == "sec-websocket-extensions"), "")
        ),
    )
    yield tab
    context.close()


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body) without following redirects or checking certificates."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    unverified = ssl._create_unverified_context()  # the test run's throwaway certificate
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=unverified))
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def static_bundle(stack: Stack) -> str:
    """The address of Streamlit's main JavaScript bundle, from the page's HTML."""
    _, _, html = fetch(stack.url + "/")
    return "/" + re.search(r'src="\./(static/js/index\.[^"]+\.js)"', html.decode()).group(1)


def test_a_deep_link_as_the_first_request_draws_through_the_proxy_and_downloads_csv(fresh_stack, watched):
    page = watched.page
    page.goto(f"{fresh_stack.url}/Care_population?period=2025-03-31&topic=Ethnicity")  # nothing before this
    wait_for_app(page, timeout=60_000)
    # the shell told the page where the server is: it asked / at once, never /Care_population/_stcore/health first
    assert f"{fresh_stack.url}/_stcore/health" in watched.responses
    assert not [url for url in watched.responses if "/Care_population/_stcore/" in url]
    expect(page.get_by_role("heading", name="Care population").first).to_be_visible()
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    expect(page.get_by_role("radio", name="Ethnicity")).to_be_checked()
    charts_drawn(page, at_least=10, timeout=60_000)
    # every chart's image came through the proxy (Streamlit's media endpoint), compressed, under the policy
    all_images_loaded(page)
    svgs = {url: h for url, h in watched.responses.items() if re.search(r"/media/[0-9a-f]+\.svg$", url)}
    assert len(svgs) >= 10 and all(h.get("content-encoding") == "br" for h in svgs.values())
    # kept by the browser for a day (an address names its bytes), so a page drawn again needs no round trip
    assert all(h.get("cache-control") == "private, max-age=86400" for h in svgs.values())

    button = page.get_by_role("link", name=re.compile("^Download CSV")).first
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "cla_rate_per_10k-trend.csv"
    rows = list(csv.reader(open(download.path(), encoding="utf-8-sig")))
    assert rows[0] == ["Quarter", "Hackney (per 10,000)", "England"]
    # a download is not kept: only the charts' images are
    status, headers, _ = fetch(download.url)
    assert status == 200 and "max-age" not in headers.get("cache-control", "")
    assert rows[-1][0] == "2024-25 Q4 (Jan-Mar 2025)"  # the quarter the link chose

    # The WebSocket went through nginx (its upgrade is what drew the page); the JavaScript came compressed and
    # cacheable for a year.
    assert watched.websockets == [fresh_stack.url.replace("http://", "ws://") + "/_stcore/stream"]
    # and its messages crossed it compressed (server.enableWebsocketCompression; nginx passes the extension on)
    assert len(watched.websocket_extensions) == 1 and "permessage-deflate" in watched.websocket_extensions[0]
    scripts = {url: h for url, h in watched.responses.items() if re.search(r"/static/js/[^/]+\.js$", url)}
    compressed = {url for url, h in scripts.items() if h.get("content-encoding") == "br"}  # Chromium offers br
    assert len(compressed) > 20
    # the rest are scripts too small to be worth compressing (brotli_min_length / gzip_min_length 256)
    assert all(int(scripts[url]["content-length"]) < 256 for url in scripts.keys() - compressed)
    assert all("immutable" in h["cache-control"] and "max-age=31536000" in h["cache-control"] for h in scripts.values())
    assert watched.violations == []


def test_every_page_draws_under_the_content_security_policy_with_nothing_reported(stack, watched):
    page = watched.page
    for script, _, _ in PAGES:
        page.goto(f"{stack.url}/{url_path(script)}")
        wait_for_app(page, timeout=60_000)
        expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible()
        if script in (
            "pages/1_Care_population.py",
            "pages/2_Placement_stability.py",
            "pages/3_Workforce.py",
            "pages/4_Action_plan.py",
        ):
            charts_drawn(page, at_least=1, timeout=60_000)
    # moving between pages in the open tab, and a table tab, as a councillor does
    page.get_by_role("link", name="Workforce stability").click()
    wait_for_app(page, timeout=60_000)
    charts_drawn(page, at_least=9, timeout=60_000)
    chart = page.locator("[data-chart]").first
    chart.get_by_text("Show as table", exact=True).click()
    expect(chart.get_by_role("region")).to_be_visible(timeout=30_000)
    assert watched.violations == []
    html = watched.responses[f"{stack.url}/{url_path(PAGES[-1][0])}"]
    assert "frame-ancestors 'self'" in html["content-security-policy"]


def test_the_tls_server_draws_the_dashboard_over_wss_and_sends_hsts(stack, browser):
    context = browser.new_context(ignore_https_errors=True)  # the test run's throwaway certificate
    try:
        page = context.new_page()
        response = page.goto(f"{stack.proxy.tls_url}/Placement_stability")
        assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        wait_for_app(page, timeout=60_000)
        charts_drawn(page, at_least=7, timeout=60_000)
    finally:
        context.close()
    # its plain-HTTP neighbour only redirects, and the plain test server never sends HSTS
    status, headers, _ = fetch(f"{stack.proxy.redirect_url}/Workforce?period=2025-03-31")
    assert status == 301
    assert headers["location"].startswith("https://") and headers["location"].endswith("/Workforce?period=2025-03-31")
    assert "strict-transport-security" not in fetch(stack.url + "/")[1]


def test_security_headers_on_pages_assets_and_errors(stack):
    for path in ("/", "/Care_population", static_bundle(stack), "/_stcore/health", "/_stcore/metrics", "/no/such"):
        _, headers, _ = fetch(stack.url + path)
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "SAMEORIGIN", path
        assert headers["referrer-policy"] == "same-origin", path
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy, path
        assert "'unsafe-eval'" not in policy, path
        assert "nginx/" not in headers.get("server", ""), path  # no version on show


def test_static_files_compressed_with_gzip_or_brotli_and_cached_for_a_year(stack):
    bundle = static_bundle(stack)
    _, plain_headers, plain = fetch(stack.url + bundle)
    status, headers, gzipped = fetch(stack.url + bundle, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(gzipped) < len(plain) / 2  # JavaScript compresses to well under half
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "accept-encoding" in headers["vary"].lower()
    assert "content-encoding" not in plain_headers  # a client that offers nothing gets identity
    _, headers, _ = fetch(stack.url + bundle, {"Accept-Encoding": "br, gzip"})
    assert headers["content-encoding"] == "br"
    # the page itself is never cached (a new Streamlit version names new bundles in it)
    _, headers, _ = fetch(stack.url + "/Workforce", {"Accept-Encoding": "gzip"})
    assert headers["cache-control"] == "no-cache" and headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "path",
    [
        "/_stcore/metrics",
        "/_stcore/metrics?format=text",
        "/_stcore/metrics/",
        "//_stcore/metrics",
        "/_stcore/%6Detrics",
        "/_STCORE/METRICS",
        "/Care_population/_stcore/metrics",
        "/static/../_stcore/metrics",
        "/_stcore/script-health-check",
        "/_stcore/agent/openapi.json",
        "/_stcore/agent/interact",
    ],
)
def test_streamlit_internals_are_refused_from_the_outside(stack, path):
    status, _, body = fetch(stack.url + path)
    assert status == 404
    assert b"session" not in body.lower() and b"# TYPE" not in body


def test_metrics_answer_on_loopback_only_and_what_the_page_needs_stays_open(stack):
    status, _, body = fetch(stack.app.url + "/_stcore/metrics")  # Streamlit itself would tell
    assert status == 200 and b"session" in body.lower()
    assert fetch(stack.url + "/_stcore/metrics")[0] == 404
    status, _, body = fetch(stack.url + "/_stcore/health")
    assert (status, body) == (200, b"ok")
    status, _, body = fetch(stack.url + "/_stcore/host-config")
    # no other site may steer the dashboard with postMessage (Streamlit's default list names its own cloud's)
    assert status == 200 and json.loads(body)["allowedOrigins"] == []


def _put(url: str, length: int) -> tuple[int, str, bytes]:
    """A PUT to the upload address with a body of `length` bytes, without Streamlit's XSRF cookie."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.putrequest("PUT", "/_stcore/upload_file/a-session/a-file")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    try:
        connection.send(b"x" * length)
    except OSError:  # nginx may answer and close before the body is sent
        pass
    response = connection.getresponse()
    return response.status, response.getheader("server", ""), response.read()


def test_a_body_of_the_apps_upload_cap_reaches_streamlit_and_one_byte_more_does_not(stack):
    """server.maxUploadSize = 60 (MiB): a body that size passes nginx and reaches Streamlit, which refuses it for
    want of its XSRF token; one byte more is refused by nginx before Streamlit sees it."""
    status, _, body = _put(stack.url, 60 * 1024 * 1024)
    assert status == 403 and b"XSRF" in body  # Streamlit's answer: nginx let it through
    status, server, body = _put(stack.url, 60 * 1024 * 1024 + 1)
    assert status == 413 and server == "nginx" and b"Request Entity Too Large" in body


def test_an_officer_uploads_and_publishes_through_the_proxy_with_xsrf(fresh_stack, watched):
    page = watched.page
    before, data = revised_latest_care_population(fresh_stack.app.data_dir, 11)
    puts = []
    page.on("request", lambda request: request.method == "PUT" and puts.append(request))
    page.goto(f"{fresh_stack.url}/Upload")  # a deep link is the first request this server sees
    wait_for_app(page, timeout=60_000)
    page.get_by_role("textbox", name="E-mail").fill(OFFICER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "care q2 revised.parquet", "mimeType": "application/octet-stream", "buffer": data}]
    )
    expect(page.get_by_text("This is a revision")).to_be_visible(timeout=30_000)
    wait_for_app(page)

    # The browser's upload carried Streamlit's XSRF token (header and cookie) through nginx, and was accepted.
    (upload,) = puts
    assert "/_stcore/upload_file/" in upload.url and upload.headers.get("x-xsrftoken")
    assert re.search(r'"PUT /_stcore/upload_file/\S+ HTTP/1.1" 20\d ', fresh_stack.proxy.access_log)
    # The same request without the token is refused through the proxy.
    status, _, _ = fetch(upload.url, method="PUT")
    assert status == 403

    confirm = page.get_by_text(re.compile(r"I have checked the \d+ warning"))
    if confirm.count():
        confirm.click()
        wait_for_app(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(r"published version [0-9a-f]{12} \("))).to_be_visible(timeout=30_000)
    assert Store(fresh_stack.app.data_dir).history("care_population").iloc[0]["published_by"] == OFFICER
    page.get_by_role("link", name="See the overview with the new figures").click()
    wait_for_app(page)
    expect(children_in_care(page)).to_have_text(format_number(before + 11))
    assert watched.violations == []


# Every element drawn in the icon font, with its text (the icon's name) and how wide it is against its font size:
# an icon drawn by its ligature is about one em wide; a name the font cannot draw shows as a word in letters.
ICONS_DRAWN = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.childElementCount === 0 && el.textContent.trim()
                  && getComputedStyle(el).fontFamily.includes('Material Symbols'))
    .map(el => [el.textContent.trim(), el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize)])"""


def test_a_first_visit_gets_the_cut_down_fonts_and_every_icon_still_draws(stack, browser):
    """The proxy sends the fonts `python -m cpb_dash web-assets` cut down (deploy/nginx) in place of Streamlit's, and
    every icon on every page, Streamlit's own and the app's, is still drawn as an icon, not as its name."""
    from cpb_dash.font_subsets import fonts_to_subset, streamlit_static

    originals = {p.name: p.stat().st_size for p in fonts_to_subset(streamlit_static())}
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        sizes: dict[str, int] = {}

        def sent(response) -> None:
            name = response.url.rsplit("/", 1)[-1]
            if name in originals:
                sizes[name] = len(response.body())

        page.on("response", sent)
        drawn: dict[str, float] = {}
        for script, _, _ in PAGES:
            page.goto(f"{stack.url}/{url_path(script)}")
            wait_for_app(page, timeout=60_000)
            page.wait_for_function("document.fonts.status === 'loaded'")
            drawn.update(page.evaluate(ICONS_DRAWN))
        assert {"keyboard_double_arrow_left", "dashboard", "upload_file"} <= drawn.keys()  # Streamlit's and ours
        as_words = {name: round(width, 1) for name, width in drawn.items() if width > 1.5}
        assert as_words == {}, f"icons shown as their names: {as_words}"
        icon = next(name for name in sizes if name.startswith("MaterialSymbols"))
        assert sizes[icon] < originals[icon] / 3  # about 65 kB of 375 kB
        text = next(name for name in sizes if name.startswith("SourceSansVF-Upright"))
        assert sizes[text] < originals[text] * 0.6
    finally:
        context.close()


def test_the_page_shell_preloads_the_scripts_every_page_draws_with(stack, watched):
    """nginx adds modulepreload links for the elements' scripts to the HTML shell (cpb_dash.preload), every one
    of them is served, and the page draws with nothing reported under the Content-Security-Policy."""
    status, _, body = fetch(f"{stack.url}/Care_population")
    assert status == 200
    links = re.findall(r'<link rel="modulepreload" crossorigin href="\./(static/js/[^"]+)">', body.decode())
    assert any("/PageLink." in link for link in links) and any("/Html." in link for link in links)
    assert not any("/Selectbox." in link for link in links)  # in the sidebar's popover: fetched when opened
    assert body.decode().count("</head>") == 1
    for link in links:
        assert fetch(f"{stack.url}/{link}")[0] == 200, link
    page = watched.page
    page.goto(f"{stack.url}/Care_population")
    wait_for_app(page, timeout=60_000)
    charts_drawn(page, at_least=10, timeout=60_000)
    assert watched.violations == []


# What a councillor sees of a page: its words and its charts' text alternatives, in order.
SEEN = """() => [document.querySelector('[data-testid=stMain]').innerText,
    [...document.querySelectorAll('.cpb-chart img')].map(i => i.alt + ' ' + i.getAttribute('src'))]"""


def test_a_page_seen_a_few_clicks_ago_comes_back_as_references_and_reads_the_same(stack, watched):
    """Streamlit's message cache (.streamlit/config.toml, [global]): after a tour of four other pages, moving back
    to Care population sends a fraction of its bytes, and the page reads exactly as it did the first time."""
    page = watched.page
    received: list[int] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda data: received.append(len(data))))

    def move(label: str) -> int:
        title = page.locator("[data-testid=stMain] h1").first.inner_text()
        received.clear()
        page.locator("[data-testid=stSidebar]").get_by_role("link", name=label, exact=True).click()
        expect(page.locator("[data-testid=stMain] h1").first).not_to_have_text(title, timeout=60_000)
        wait_for_app(page, timeout=60_000)
        return sum(received)

    page.goto(f"{stack.url}/")
    wait_for_app(page, timeout=60_000)
    first = move("Care population")
    charts_drawn(page, at_least=10, timeout=60_000)
    seen = page.evaluate(SEEN)
    for label in ("Placement stability", "Health and wellbeing", "Leaving care and permanence", "Overview"):
        move(label)
    again = move("Care population")
    charts_drawn(page, at_least=10, timeout=60_000)
    assert first > 40_000 and again < first / 3, (first, again)
    assert page.evaluate(SEEN) == seen
    assert watched.violations == []


def test_streamlit_s_files_come_from_the_disk_compressed_ahead_and_a_name_it_lacks_is_asked_of_the_app(tmp_path):
    """With what `python -m cpb_dash web-assets` writes, nginx sends Streamlit's files itself: with no app behind
    it at all, the main bundle comes as JavaScript, cached for a year, as the brotli or gzip twin written ahead
    (whichever the browser accepts) or whole; every kind of file Streamlit ships has its own type; a hashed name the
    copy lacks is asked of the app (here: none, so 502)."""
    import brotli

    from cpb_dash.font_subsets import streamlit_static

    prefix = tmp_path / "nginx"
    plain, _, _ = write_config(prefix, upstream_port=_free_port())  # nothing listens there
    log = (prefix / "nginx.out").open("wb")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stdout=log, stderr=log)
    proxy = Proxy(f"http://127.0.0.1:{plain}", "", "", prefix, process)
    try:
        bundle = next((streamlit_static() / "js").glob("index.*.js"))
        url = f"{proxy.url}/static/js/{bundle.name}"
        for _ in range(100):  # nginx starting: bounded
            try:
                status, headers, body = fetch(url)
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and body == bundle.read_bytes()
        assert headers["content-type"] == "application/javascript"
        assert "immutable" in headers["cache-control"] and "nosniff" in headers["x-content-type-options"]
        written = prefix / "web" / "streamlit" / "static" / "js"
        status, headers, body = fetch(url, {"Accept-Encoding": "gzip, deflate, br"})
        assert headers["content-encoding"] == "br" and body == (written / f"{bundle.name}.br").read_bytes()
        assert brotli.decompress(body) == bundle.read_bytes()
        status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})
        assert headers["content-encoding"] == "gzip" and body == (written / f"{bundle.name}.gz").read_bytes()
        # every kind of file Streamlit ships comes with its own type: with nosniff, a browser refuses a wrong one
        kinds = {path.suffix: path for path in sorted(streamlit_static().glob("*/*.*"))}
        expected = {".js": "javascript", ".css": "text/css", ".woff2": "font/woff2", ".svg": "image/svg+xml"}
        for suffix, path in kinds.items():
            status, headers, body = fetch(f"{proxy.url}/static/{path.parent.name}/{path.name}")
            assert status == 200 and body == path.read_bytes(), path.name
            assert headers["content-type"] != "application/octet-stream", path.name
            assert expected.get(suffix, suffix.lstrip(".")) in headers["content-type"], (path.name, headers)
        assert fetch(f"{proxy.url}/static/js/index.AAAAAAAA.js")[0] == 502
    finally:
        stop_proxy(proxy)


def test_without_the_web_assets_the_proxy_sends_streamlit_s_own_fonts_and_shell(tmp_path):
    """A deployment that has not run `python -m cpb_dash web-assets` (or a Streamlit upgrade since) still gets every
    font: nginx falls back to Streamlit's, cached as any hashed file; and the page's shell comes as Streamlit sent
    it."""
    from cpb_dash.font_subsets import fonts_to_subset, streamlit_static

    app = start_server(copy_fixtures(tmp_path / "data"), tmp_path / "streamlit.log")
    try:
        proxy = start_proxy(app.url, tmp_path / "nginx", web_assets=False)
        try:
            for path in fonts_to_subset(streamlit_static()):
                status, headers, body = fetch(f"{proxy.url}/static/media/{path.name}")
                assert status == 200 and body == path.read_bytes()
                assert "immutable" in headers["cache-control"]
            shell = fetch(f"{proxy.url}/Care_population")[2].decode()
            assert "/Selectbox." not in shell and shell.count("</head>") == 1
        finally:
            stop_proxy(proxy)
    finally:
        stop_server(app)
