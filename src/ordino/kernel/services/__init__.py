"""The kernel's use cases, which every capability's call (idempotent answers,
retries, the record of configuration, the server's keys), and the port every
capability's port extends."""

from ordino.kernel.services.configuration import (
    ORDINO,
    Changed,
    list_changes,
    record,
    refuse_changed,
    refuse_unknown_types,
)
from ordino.kernel.services.idempotency import CREATED, Answer, remember, replay
from ordino.kernel.services.ports import KernelWork, NamedDocuments
from ordino.kernel.services.retry import with_retries
from ordino.kernel.services.server_keys import ServerKeys

__all__ = [
    "CREATED",
    "ORDINO",
    "Answer",
    "Changed",
    "KernelWork",
    "NamedDocuments",
    "ServerKeys",
    "list_changes",
    "record",
    "refuse_changed",
    "refuse_unknown_types",
    "remember",
    "replay",
    "with_retries",
]
