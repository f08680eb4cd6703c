"""Configuration, read once from the environment. Secrets live in .streamlit/secrets.toml, never here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cpb_dash import catalogue
from cpb_dash.schema import truth

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "fixtures"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    suppression_threshold: int
    require_sign_in_to_view: bool
    sign_in_backoff_seconds: float  # the first wait after five failed passwords at one address; doubles after


def settings() -> Settings:
    """Environment variables: CPB_DATA_DIR, CPB_SUPPRESSION_THRESHOLD, CPB_REQUIRE_SIGN_IN,
    CPB_SIGN_IN_BACKOFF_SECONDS."""
    data_dir = Path(os.environ.get("CPB_DATA_DIR") or DEFAULT_DATA_DIR).expanduser().resolve()
    threshold = int(os.environ.get("CPB_SUPPRESSION_THRESHOLD") or catalogue.SUPPRESSION_THRESHOLD)
    require = truth(os.environ.get("CPB_REQUIRE_SIGN_IN") or "") is True
    backoff = float(os.environ.get("CPB_SIGN_IN_BACKOFF_SECONDS") or 30)
    return Settings(
        data_dir=data_dir,
        suppression_threshold=threshold,
        require_sign_in_to_view=require,
        sign_in_backoff_seconds=min(max(backoff, 1.0), 3600.0),
    )
