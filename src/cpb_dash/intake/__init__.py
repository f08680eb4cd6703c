"""Returns -> snapshots: child- and worker-level returns read in memory, only their aggregates published."""
