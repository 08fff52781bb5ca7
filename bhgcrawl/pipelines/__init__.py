"""Item pipelines, one job each, in this order: normalise → validate → deduplicate → store."""
