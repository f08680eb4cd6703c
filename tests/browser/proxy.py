"""nginx in front of `streamlit run`, as deploy/nginx configures it, for the browser tests and the benchmark.

The site file (deploy/nginx/cpb-dash.conf) is rendered onto loopback ports in a temporary directory, with a
throwaway self-signed certificate for its TLS server, beside one plain-HTTP server that includes the same snippets:
the tests browse over plain HTTP (Chromium caches nothing from a site whose certificate it was told to ignore, so
timings and cache headers would not be a real visitor's); the benchmark browses the TLS server with Chromium told to
trust the certificate's key (Proxy.spki), so it caches as for a real certificate. nginx runs as the user running the
tests, in one process (`master_process off`: no user switching, no privileges), with its pid, logs and temporary
paths in that directory.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import _free_port
from tests.conftest import ROOT

NGINX = os.environ.get("CPB_NGINX", "/usr/sbin/nginx")
BROTLI_MODULE = Path(os.environ.get("CPB_NGINX_BROTLI", "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"))
BROTLI_STATIC_MODULE = BROTLI_MODULE.with_name("ngx_http_brotli_static_module.so")
DEPLOY = ROOT / "deploy" / "nginx"

# The site file's values a council edits, and what the test run puts in their place.
UPSTREAM = "server 127.0.0.1:8501;"
SERVER_NAME = "server_name dashboard.example.gov.uk;"
CERT = "/etc/ssl/certs/dashboard.example.gov.uk.pem"
KEY = "/etc/ssl/private/dashboard.example.gov.uk.key"
# Where the snippet looks for what `python -m cpb_dash web-assets` writes (cut-down fonts, Streamlit's files, the
# preload file): the test's copy goes under the prefix instead.
WEB_ASSETS = "/opt/cpb-dash/build/web"


@functools.cache
def cut_down_fonts() -> dict[str, bytes]:
    """The cut-down fonts, made once per test process (a few seconds) by the code a deployment runs."""
    from cpb_dash import font_subsets as fonts

    return fonts.build()


@functools.cache
def compressed_streamlit_files() -> dict[str, tuple[bytes, bytes]]:
    """Streamlit's files compressed ahead, once per test process (about 15 s on two CPUs), by the code a
    deployment runs."""
    from cpb_dash import static_files
    from cpb_dash.font_subsets import streamlit_static

    return static_files.compressed(streamlit_static())


@dataclass
class Proxy:
    url: str  # plain HTTP, the snippets
    tls_url: str  # the site file's TLS server
    redirect_url: str  # the site file's plain-HTTP server (redirects to TLS)
    prefix: Path
    process: subprocess.Popen

    @property
    def access_log(self) -> str:
        return (self.prefix / "access.log").read_text()

    @property
    def spki(self) -> str:
        """The SHA-256 of the TLS certificate's public key, base64: Chromium launched with
        --ignore-certificate-errors-spki-list=<this> trusts the throwaway certificate as it would a real one, so
        it caches what the TLS server sends (with a context's ignore_https_errors, it caches nothing)."""
        public = subprocess.run(
            ["openssl", "x509", "-pubkey", "-noout", "-in", str(self.prefix / "cert.pem")],
            capture_output=True,
            check=True,
        ).stdout
        der = subprocess.run(
            ["openssl", "pkey", "-pubin", "-outform", "der"], input=public, capture_output=True, check=True
        ).stdout
        return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def missing() -> str | None:
    """Why nginx cannot run here, or None."""
    if not Path(NGINX).exists():
        return (
            f"nginx not found at {NGINX}: run `apt-get install -y nginx libnginx-mod-http-brotli-filter`"
            " (as root; .ci/run does)"
        )
    for module, package in ((BROTLI_MODULE, "filter"), (BROTLI_STATIC_MODULE, "static")):
        if not module.exists():
            return (
                f"nginx's brotli module not found at {module}:"
                f" run `apt-get install -y libnginx-mod-http-brotli-{package}` (as root; .ci/run does)"
            )
    return None


def render_site(text: str, upstream_port: int, http_port: int, tls_port: int, cert: Path, key: Path) -> str:
    """The site file with its host-specific values replaced; fails if one of them is no longer where it was."""
    for needle, times in (
        (UPSTREAM, 1),
        (SERVER_NAME, 2),
        (CERT, 1),
        (KEY, 1),
        ("listen 80;", 1),
        ("listen 443 ssl http2;", 1),
    ):
        if text.count(needle) != times:
            raise ValueError(f"deploy/nginx/cpb-dash.conf: expected {needle!r} {times} time(s)")
    text = re.sub(r"^\s*listen \[::\]:.*\n", "", text, flags=re.MULTILINE)  # loopback only
    return (
        text.replace(UPSTREAM, f"server 127.0.0.1:{upstream_port};")
        .replace(SERVER_NAME, "server_name 127.0.0.1 localhost;")
        .replace(CERT, str(cert))
        .replace(KEY, str(key))
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;")
    )


def main_conf(prefix: Path, plain_port: int) -> str:
    temp = prefix / "temp"
    return f"""# generated by tests/browser/proxy.py: a test run of deploy/nginx, nothing outside {prefix}
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
load_module {BROTLI_MODULE};
load_module {BROTLI_STATIC_MODULE};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;  # as Debian's nginx.conf does
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include sites/cpb-dash.conf;
    server {{
        listen 127.0.0.1:{plain_port};
        server_name 127.0.0.1 localhost;
        include snippets/cpb-dash-proxy.conf;
    }}
}}
"""


def write_config(
    prefix: Path, upstream_port: int, web_assets: bool = True, preloads: bool = True
) -> tuple[int, int, int]:
    """Write nginx.conf, the rendered site, the snippets, what `python -m cpb_dash web-assets` writes (unless
    `web_assets` is false: then Streamlit's own fonts are sent, its files asked of the app and its shell as it is;
    with `preloads` false, the fonts and files only) and a certificate under prefix; return the ports (plain,
    redirect, TLS)."""
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    (prefix / "sites").mkdir(exist_ok=True)
    shutil.copytree(DEPLOY / "snippets", prefix / "snippets", dirs_exist_ok=True)
    proxy_snippet = prefix / "snippets" / "cpb-dash-proxy.conf"
    text = proxy_snippet.read_text()
    if text.count(WEB_ASSETS) != 3:  # the fonts' root, Streamlit's files' root and the preload include
        raise ValueError(f"deploy/nginx/snippets/cpb-dash-proxy.conf: expected {WEB_ASSETS!r} 3 times")
    proxy_snippet.write_text(text.replace(WEB_ASSETS, str(prefix / "web")))
    if web_assets:
        from cpb_dash import font_subsets as subsets
        from cpb_dash import preload, static_files

        static_files.write(prefix / "web", subsets.streamlit_static(), compressed_streamlit_files())
        subsets.write(prefix / "web", cut_down_fonts())
        if preloads:
            preload.write(prefix / "web", subsets.streamlit_static())
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    plain, http, tls = _free_port(), _free_port(), _free_port()
    site = render_site((DEPLOY / "cpb-dash.conf").read_text(), upstream_port, http, tls, cert, key)
    (prefix / "sites" / "cpb-dash.conf").write_text(site)
    (prefix / "nginx.conf").write_text(main_conf(prefix, plain))
    return plain, http, tls


def check_config(prefix: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True, check=False
    )


def start_proxy(upstream_url: str, prefix: Path, web_assets: bool = True, preloads: bool = True) -> Proxy:
    """nginx in front of the Streamlit server at upstream_url, answering its health check through the proxy;
    with the cut-down fonts and preloads as a deployment has them, unless `web_assets` is false (`preloads` false:
    the fonts only)."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    upstream_port = int(upstream_url.rsplit(":", 1)[1])
    plain, http, tls = write_config(prefix, upstream_port, web_assets, preloads)
    log = (prefix / "nginx.out").open("wb")
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stdout=log, stderr=subprocess.STDOUT
    )
    proxy = Proxy(f"http://127.0.0.1:{plain}", f"https://127.0.0.1:{tls}", f"http://127.0.0.1:{http}", prefix, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # bounded: nginx answers through to Streamlit or the caller fails
        if process.poll() is not None:
            raise RuntimeError(
                f"nginx exited: {(prefix / 'nginx.out').read_text()}"
                f"{(prefix / 'error.log').read_text() if (prefix / 'error.log').exists() else ''}"
            )
        try:
            with urllib.request.urlopen(f"{proxy.url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return proxy
        except OSError:
            time.sleep(0.1)
    stop_proxy(proxy)
    raise RuntimeError("nginx did not answer through to Streamlit within 30 s")


def stop_proxy(proxy: Proxy) -> None:
    proxy.process.terminate()
    try:
        proxy.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proxy.process.kill()
