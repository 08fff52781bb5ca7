"""Item pipelines, one job each, in this order: normalise → validate → deduplicate → store."""

from bhgcrawl.pipelines.deduplicate import DeduplicatePipeline, content_hash
from bhgcrawl.pipelines.normalize import NormalizePipeline, normalize_value
from bhgcrawl.pipelines.store import StorePipeline
from bhgcrawl.pipelines.validate import REQUIRED_FIELDS, ValidatePipeline, record_schema, schema_error

__all__ = [
    "DeduplicatePipeline", "NormalizePipeline", "StorePipeline", "ValidatePipeline", "REQUIRED_FIELDS",
    "content_hash", "normalize_value", "record_schema", "schema_error",
]
