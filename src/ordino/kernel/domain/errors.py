"""Ordino's errors: a small hierarchy, each with a stable machine code.

    OrdinoError               code                    meaning
    ├── InvalidInput          invalid-input           malformed request; `errors` names each field
    ├── NotFound              not-found               the thing asked for does not exist
    ├── Conflict              conflict                valid, but clashes with the current state
    │   ├── InsufficientStock     insufficient-stock      not enough stock to reserve the order
    │   ├── IllegalTransition     illegal-transition      the state machine forbids the change
    │   ├── IdempotencyKeyReused  idempotency-key-reused  the same key with another body
    │   ├── DuplicateOrder        duplicate-order         the channel sent this order id before
    │   ├── AlreadyExists         already-exists          something with this id exists already
    │   ├── BelowReserved         below-reserved          a transfer would take reserved stock
    │   ├── PromiseUnavailable    promise-unavailable     the delivery option chosen is not kept now
    │   ├── NotAllowed            not-allowed             the self-service policy refuses it now
    │   └── OverRefund            over-refund             more than was captured and not refunded
    ├── TooLarge              too-large               the request's body is over its limit
    ├── Unauthenticated       unauthenticated         no valid API key
    ├── TooManyAttempts       too-many-attempts       too many guesses: wait `retry_after` s
    └── Forbidden             forbidden               the key's role may not do this
        ├── LinkExpired           link-expired            a customer's link is past its time
        └── LinkInvalid           link-invalid            a customer's link is not Ordino's

The API maps each code to an HTTP status in one table (`ordino.http.problems`);
nothing else decides statuses. Errors carry data (`extra`), never formatted
HTML or framework objects, so services and engines can raise them freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    """One invalid field: `field` is a dotted path such as `lines[0].quantity`."""

    field: str
    message: str


@dataclass
class OrdinoError(Exception):
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)
    code: ClassVar[str] = "error"
    title: ClassVar[str] = "Error"

    def __str__(self) -> str:
        return self.detail


@dataclass
class InvalidInput(OrdinoError):
    errors: list[FieldError] = field(default_factory=list)
    code: ClassVar[str] = "invalid-input"
    title: ClassVar[str] = "Invalid input"

    @classmethod
    def of(cls, field_name: str, message: str) -> InvalidInput:
        return cls(f"{field_name}: {message}", errors=[FieldError(field_name, message)])

    def __str__(self) -> str:
        """The detail, and each field it does not name yet (as a page says it)."""
        named = [f"{e.field}: {e.message}" for e in self.errors if e.field not in self.detail]
        return "; ".join([self.detail, *named])


@dataclass
class NotFound(OrdinoError):
    code: ClassVar[str] = "not-found"
    title: ClassVar[str] = "Not found"


@dataclass
class Conflict(OrdinoError):
    code: ClassVar[str] = "conflict"
    title: ClassVar[str] = "Conflict"


@dataclass
class InsufficientStock(Conflict):
    code: ClassVar[str] = "insufficient-stock"
    title: ClassVar[str] = "Insufficient stock"


@dataclass
class IllegalTransition(Conflict):
    code: ClassVar[str] = "illegal-transition"
    title: ClassVar[str] = "Illegal state transition"


@dataclass
class IdempotencyKeyReused(Conflict):
    code: ClassVar[str] = "idempotency-key-reused"
    title: ClassVar[str] = "Idempotency key reused with another request"


@dataclass
class DuplicateOrder(Conflict):
    code: ClassVar[str] = "duplicate-order"
    title: ClassVar[str] = "Duplicate order"


@dataclass
class AlreadyExists(Conflict):
    code: ClassVar[str] = "already-exists"
    title: ClassVar[str] = "Already exists"


@dataclass
class BelowReserved(Conflict):
    code: ClassVar[str] = "below-reserved"
    title: ClassVar[str] = "On hand below reserved"


@dataclass
class PromiseUnavailable(Conflict):
    code: ClassVar[str] = "promise-unavailable"
    title: ClassVar[str] = "Delivery option no longer available"


@dataclass
class NotAllowed(Conflict):
    code: ClassVar[str] = "not-allowed"
    title: ClassVar[str] = "Not allowed for this order now"


@dataclass
class OverRefund(Conflict):
    code: ClassVar[str] = "over-refund"
    title: ClassVar[str] = "More than may be refunded"


@dataclass
class TooLarge(OrdinoError):
    code: ClassVar[str] = "too-large"
    title: ClassVar[str] = "Request body too large"


@dataclass
class Unauthenticated(OrdinoError):
    code: ClassVar[str] = "unauthenticated"
    title: ClassVar[str] = "Unauthenticated"


@dataclass
class TooManyAttempts(OrdinoError):
    retry_after: int = 0  # seconds until the subject may try again
    code: ClassVar[str] = "too-many-attempts"
    title: ClassVar[str] = "Too many attempts"


@dataclass
class Forbidden(OrdinoError):
    code: ClassVar[str] = "forbidden"
    title: ClassVar[str] = "Forbidden"


@dataclass
class LinkExpired(Forbidden):
    code: ClassVar[str] = "link-expired"
    title: ClassVar[str] = "The link has expired"


@dataclass
class LinkInvalid(Forbidden):
    code: ClassVar[str] = "link-invalid"
    title: ClassVar[str] = "The link is not valid"


class LostRace(Exception):
    """A conditional write found the state changed under it; the use case re-plans.

    Internal: never reaches a client (after bounded retries it becomes a Conflict).
    """
