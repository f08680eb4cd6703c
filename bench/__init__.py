"""Performance benchmark: `python -m bench` (make bench). See docs/performance.md for the figures and what they mean."""
