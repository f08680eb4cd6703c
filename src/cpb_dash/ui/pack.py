"""The board pack download on the Overview: prepared on request (it takes a second or two), then cached per
store version, quarter and comparator, so a second councillor asking for the same pack gets it at once."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

import streamlit as st

from cpb_dash import pack, periods
from cpb_dash.config import settings
from cpb_dash.server_cache import ServerCache
from cpb_dash.ui.layout import PageContext
from cpb_dash.views import Bundle

READY_KEY = "board_pack_ready"  # session state: which pack this visitor asked for


# Packs kept in the server process (see cpb_dash.server_cache: no client message can empty it).
PACKS: ServerCache[bytes] = ServerCache(max_entries=8)


def _pack_bytes(
    token: str, threshold: int, period_iso: str, comparator: str, produced_iso: str, bundle: Bundle
) -> bytes:
    # The store's state token and the threshold key the cache (the bundle itself is not hashed): a publish or a
    # rollback makes a new pack; the production date is in the key so a pack never carries yesterday's date.
    key = (token, threshold, period_iso, comparator, produced_iso)
    data = PACKS.get(key)
    if data is None:
        with st.spinner("Preparing the board pack: drawing every chart…"):
            data = PACKS.get_or_build(
                key,
                lambda: pack.build_pack(
                    bundle, dt.date.fromisoformat(period_iso), comparator, produced=dt.date.fromisoformat(produced_iso)
                ).encode("utf-8"),
            )
    return data


def _pdf_bytes(key: tuple, html_bytes: bytes) -> bytes:
    """The pack printed to PDF by headless Chromium (pack.print_to_pdf), once per pack; the HTML and PDF live in a
    temporary folder only while Chromium prints (they hold published, disclosure-controlled figures only)."""

    def build() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "pack.html"
            page.write_bytes(html_bytes)
            out = Path(tmp) / "pack.pdf"
            pack.print_to_pdf(page, out)
            return out.read_bytes()

    return PACKS.get_or_build((*key, "pdf"), build)


def pdf_available() -> bool:
    return Path(pack.CHROMIUM).exists() or shutil.which(pack.CHROMIUM) is not None


def _ask_for(wanted: str) -> None:
    st.session_state[READY_KEY] = wanted


def board_pack_download(ctx: PageContext) -> None:
    """'Prepare board pack', then 'Download board pack' for the sidebar's quarter and comparator."""
    config = settings()
    token = ctx.bundle.token  # read once per run, by load_bundle
    wanted = f"{token}|{config.suppression_threshold}|{ctx.period.isoformat()}|{ctx.comparator}"
    label = periods.short_quarter_label(ctx.period)
    with st.container(border=True):
        text, action = st.columns([3, 1], vertical_alignment="center")
        with text:
            st.markdown(
                f"**Board pack for {label}**: a printable file (A4) with these headlines, each area's trend"
                " charts, the comparators, and the actions at risk, off track or overdue."
            )
        with action:
            if st.session_state.get(READY_KEY) != wanted:
                # A callback, so the rerun it starts already knows: the button gives way to the download.
                st.button(
                    "Prepare board pack",
                    icon=":material/description:",
                    key="prepare-pack",
                    on_click=_ask_for,
                    args=(wanted,),
                )
            else:
                data = _pack_bytes(
                    token,
                    config.suppression_threshold,
                    ctx.period.isoformat(),
                    ctx.comparator,
                    dt.date.today().isoformat(),
                    ctx.bundle,
                )
                st.download_button(
                    "Download board pack",
                    data,
                    file_name=pack.pack_file_name(ctx.period),
                    mime="text/html",
                    icon=":material/download:",
                    on_click="ignore",
                    key="download-pack",
                    type="primary",
                    help="A web page that opens in any browser and prints on A4: use your browser's Print.",
                )
                if pdf_available():
                    key = (
                        token,
                        config.suppression_threshold,
                        ctx.period.isoformat(),
                        ctx.comparator,
                        dt.date.today().isoformat(),
                    )
                    # Printed when pressed (a few seconds), not on every rerun.
                    st.download_button(
                        "Download as PDF",
                        functools.partial(_pdf_bytes, key, data),
                        file_name=pack.pack_file_name(ctx.period).replace(".html", ".pdf"),
                        mime="application/pdf",
                        icon=":material/picture_as_pdf:",
                        on_click="ignore",
                        key="download-pack-pdf",
                        help="The same pack as a PDF, laid out for A4.",
                    )
