"""The offline outbox's server side. See caseload/sync/apply.py and docs/sync-protocol.md."""

from caseload.sync.apply import sync_batch, sync_mutation_apply
from caseload.sync.attention import needs_attention, sync_resolve
from caseload.sync.protocol import MAX_BODY_BYTES, MAX_MUTATIONS, BatchError, parse_batch

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_MUTATIONS",
    "BatchError",
    "needs_attention",
    "parse_batch",
    "sync_batch",
    "sync_mutation_apply",
    "sync_resolve",
]
