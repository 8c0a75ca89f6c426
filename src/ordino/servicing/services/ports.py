"""The servicing capability's port: the self-service policy. `ordino.store` implements
it over SQL.
"""

from __future__ import annotations

from typing import Protocol

from ordino.kernel.services import NamedDocuments
from ordino.returns.services import ReturnsWork
from ordino.servicing.domain.self_service import SelfServicePolicy


class ServicingWork(ReturnsWork, Protocol):
    """What servicing's use cases may use in one attempt: its own repositories and
    every lower capability's.
    """

    @property
    def self_service_policy(self) -> NamedDocuments[SelfServicePolicy]: ...
