"""The preload links nginx adds to the HTML shell (cpb_dash.preload): which of Streamlit's scripts, and that the
nginx file saying so is what nginx can read."""

from __future__ import annotations

import re
import subprocess

import pytest

from cpb_dash import preload
from cpb_dash.font_subsets import streamlit_static
from tests.browser.proxy import NGINX, missing

STATIC = streamlit_static()


def test_each_element_s_script_and_its_imports_are_preloaded_and_nothing_the_shell_already_lists():
    chunks = preload.element_chunks(STATIC)
    for element in ("PageLink", "Html", "Radio"):
        assert any(name.startswith(element + ".") for name in chunks), element
    # no board page draws these on arrival (their figures and CSVs are in HTML blocks; the quarter's drop-down is
    # in a popover, drawn when opened)
    assert not any(name.startswith(("Metric.", "DownloadButton.", "Selectbox.")) for name in chunks)
    shell = (STATIC.parent / "index.html").read_text()
    assert not [name for name in chunks if f"static/js/{name}" in shell]
    for name in chunks:  # every file exists, and every file one of them imports is preloaded or in the shell
        text = (STATIC / "js" / name).read_text()
        for imported in re.findall(r'from\s*"\./([^"]+\.js)"', text):
            assert imported in chunks or f"static/js/{imported}" in shell, (name, imported)
    assert not any(name.startswith(("DataFrame.", "ArrowVegaLiteChart.", "VegaLiteChart.")) for name in chunks)


def test_the_nginx_file_adds_the_links_before_the_head_closes_and_nginx_accepts_it(tmp_path):
    written, listed = preload.write(tmp_path / "web", STATIC)
    assert listed == preload.element_chunks(STATIC)
    text = written.read_text()
    assert text.count('rel="modulepreload" crossorigin href="./static/js/') == len(preload.element_chunks(STATIC))
    assert "sub_filter '</head>' '" in text and "sub_filter_once on;" in text
    assert not list((tmp_path / "web").glob("*.part"))
    if missing():
        pytest.skip(missing())
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ server {{ listen 127.0.0.1:1; location / {{ include {written}; return 200; }} }} }}\n"
    )
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
