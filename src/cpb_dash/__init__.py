"""cpb-dash: the Corporate Parenting Board dashboard for Hackney's children in care."""

__version__ = "0.1.0"
