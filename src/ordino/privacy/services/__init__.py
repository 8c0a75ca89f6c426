"""Privacy's use cases and the port they speak to."""

from ordino.privacy.services.ports import PrivacyWork

__all__ = [
    "PrivacyWork",
]
