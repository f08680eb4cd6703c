"""deploy/: the nginx site file and snippets, and the systemd unit, checked as a council would install them.
(tests/browser/test_proxy_browser.py runs the same files in front of a real server.)"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import streamlit

from tests.browser.proxy import CERT, DEPLOY, KEY, NGINX, missing, write_config
from tests.conftest import ROOT

SNIPPETS = DEPLOY / "snippets"
UNIT = ROOT / "deploy" / "systemd" / "cpb-dash.service"


def _nginx() -> str:
    reason = missing()
    if reason:
        pytest.fail(reason)
    return NGINX


def _location(name: str) -> str:
    text = (SNIPPETS / "cpb-dash-proxy.conf").read_text()
    return re.search(r"location \^~ " + re.escape(name) + r" \{(.*?)\n\}", text, re.DOTALL).group(1)


def test_nginx_caps_uploads_at_the_apps_limit():
    limit_mib = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    upload = _location("/_stcore/upload_file/")
    # nginx's "m" and Streamlit's maxUploadSize are both MiB; Streamlit refuses a larger Content-Length itself
    assert re.search(r"client_max_body_size (\d+)m;", upload).group(1) == str(limit_mib)
    assert "proxy_request_buffering off;" in upload  # an upload is never spooled to nginx's temporary files


def test_the_content_security_policy_allows_exactly_streamlits_inline_script_and_ours():
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    inline = re.findall(r"<script>(.*?)</script>", index, re.DOTALL)
    assert inline, "Streamlit's index.html has no inline script any more: drop its hash from the policy"
    # ours: the one the proxy adds to the shell (where the server is, for deep links)
    ours = re.findall(
        r"sub_filter '[^']*' '[^']*<script>(.*?)</script>", (SNIPPETS / "cpb-dash-proxy.conf").read_text()
    )
    assert ours == ['window.__streamlit={BACKEND_BASE_URL:location.origin+"/"}']
    policy = re.search(r'Content-Security-Policy "([^"]+)"', (SNIPPETS / "cpb-dash-headers.conf").read_text()).group(1)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    hashes = set(re.findall(r"'sha256-([^']+)'", script_src))
    expected = {base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() for script in inline + ours}
    assert hashes == expected, (
        f"Streamlit {streamlit.__version__} changed its inline script, or ours changed: put"
        f" {sorted(expected)} in script-src (deploy/nginx/snippets/cpb-dash-headers.conf)"
    )
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_the_site_file_passes_nginx_t_inside_debians_own_nginx_conf(tmp_path):
    """Installed as the site file's comment says: Debian's nginx.conf (which already has `gzip on;` in http,
    loads the brotli module from modules-enabled, and includes sites-enabled/*), our snippets, a certificate."""
    nginx = _nginx()
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.exists():
        pytest.fail("/etc/nginx/nginx.conf is missing: install Debian's nginx package")
    conf = debian.read_text()
    for path in ("/etc/nginx/sites-enabled/", "/etc/nginx/conf.d/"):
        assert path in conf
        conf = conf.replace(path, f"{tmp_path}/{Path(path).name}/")
    conf = re.sub(r"^\s*user\s+\S+;", "", conf, flags=re.MULTILINE)  # as the test's user
    conf = re.sub(r"^pid\s+\S+;", f"pid {tmp_path}/nginx.pid;", conf, flags=re.MULTILINE)
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "nginx.conf").write_text(conf)
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "sites-enabled").mkdir()
    shutil.copytree(SNIPPETS, tmp_path / "snippets")
    (tmp_path / "modules").symlink_to("/usr/lib/nginx/modules")  # modules-enabled/*.conf name them from the prefix
    write_config(tmp_path / "certs", 8501, web_assets=False)  # for its throwaway certificate
    site = (DEPLOY / "cpb-dash.conf").read_text()
    site = site.replace(CERT, str(tmp_path / "certs" / "cert.pem")).replace(KEY, str(tmp_path / "certs" / "key.pem"))
    # only the ports: a test may not bind 80 and 443
    site = site.replace("listen 80;", "listen 127.0.0.1:8080;").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", "listen 127.0.0.1:8443 ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "")
    (tmp_path / "sites-enabled" / "cpb-dash").write_text(site)
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_the_service_runs_streamlit_on_loopback_where_nginx_looks_for_it():
    unit = UNIT.read_text()
    upstream = re.search(r"upstream cpb_dash \{\s*server ([\d.]+):(\d+);", (DEPLOY / "cpb-dash.conf").read_text())
    assert f"--server.address {upstream.group(1)} --server.port {upstream.group(2)}" in unit
    assert upstream.group(1) == "127.0.0.1"  # nginx is the only way in
    assert re.search(r"^User=cpb-dash$", unit, re.MULTILINE)  # never root
    assert "ProtectSystem=strict" in unit and "StateDirectory=cpb-dash" in unit
    assert "Environment=CPB_DATA_DIR=/var/lib/cpb-dash/" in unit  # the store is in the one writable directory


def test_the_service_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # this checkout in place of /opt/cpb-dash, and a python that exists here
    unit = UNIT.read_text().replace("/opt/cpb-dash/.venv/bin/python", sys.executable)
    (tmp_path / "cpb-dash.service").write_text(unit.replace("/opt/cpb-dash", str(ROOT)))
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / "cpb-dash.service")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr


def test_streamlit_s_files_are_copied_with_compressed_twins_and_a_new_copy_replaces_the_old_whole(tmp_path):
    import gzip

    import brotli

    from cpb_dash import static_files

    static = tmp_path / "installed" / "static"  # a stand-in for Streamlit's folder: files nobody here compresses
    for kind in ("js", "css", "media"):
        (static / kind).mkdir(parents=True)
    big = ("export const words = " + repr([f"councillor {i}" for i in range(200)]) + ";").encode()
    (static / "js" / "index.AbCdEf12.js").write_bytes(big)
    (static / "js" / "tiny.AbCdEf12.js").write_bytes(b"export{};")  # under 256 bytes: sent as it is
    (static / "css" / "index.AbCdEf12.css").write_bytes(b"body{margin:0}" * 40)
    (static / "media" / "font.AbCdEf12.woff2").write_bytes(bytes(range(256)) * 4)  # compressed already
    out = tmp_path / "web"
    copied, _ = static_files.write(out, static, static_files.compressed(static))
    root = out / "streamlit" / "static"
    assert copied == 4
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        "css/index.AbCdEf12.css",
        "css/index.AbCdEf12.css.br",
        "css/index.AbCdEf12.css.gz",
        "js/index.AbCdEf12.js",
        "js/index.AbCdEf12.js.br",
        "js/index.AbCdEf12.js.gz",
        "js/tiny.AbCdEf12.js",
        "media/font.AbCdEf12.woff2",
    ]
    assert (root / "js" / "index.AbCdEf12.js").read_bytes() == big
    assert brotli.decompress((root / "js" / "index.AbCdEf12.js.br").read_bytes()) == big
    assert gzip.decompress((root / "js" / "index.AbCdEf12.js.gz").read_bytes()) == big
    assert len((root / "js" / "index.AbCdEf12.js.br").read_bytes()) < len(big) / 3
    # Streamlit upgraded: the next copy has only the new names (the old ones are never asked for again)
    (static / "js" / "index.AbCdEf12.js").rename(static / "js" / "index.ZyXwVu98.js")
    static_files.write(out, static, static_files.compressed(static))
    assert not (root / "js" / "index.AbCdEf12.js").exists() and (root / "js" / "index.ZyXwVu98.js.br").exists()
    assert not list(out.glob("streamlit.*"))  # no half-written or old copy left beside it
