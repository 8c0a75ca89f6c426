"""Orchestration's use cases and the port they speak to."""

from ordino.orchestration.services.customs import order_customs
from ordino.orchestration.services.deliveries import delivery_answer
from ordino.orchestration.services.fulfillment import cancel_units
from ordino.orchestration.services.invoices import get_bill, order_bills
from ordino.orchestration.services.payments import refund_of
from ordino.orchestration.services.pipelines import HoldAction, cancel_from_hold, release_hold
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.refunds import (
    GiveBack,
    give_as_store_credit,
    give_back,
    refund_amount,
)
from ordino.orchestration.services.rerouting import REJECTION_REASONS, Rejection, reject_allocation
from ordino.orchestration.services.tenders import refundable_of
from ordino.orchestration.services.timers import exceptions
from ordino.orchestration.services.worker import dead_jobs, requeue

__all__ = [
    "REJECTION_REASONS",
    "GiveBack",
    "HoldAction",
    "OrchestrationWork",
    "Rejection",
    "cancel_from_hold",
    "cancel_units",
    "dead_jobs",
    "delivery_answer",
    "exceptions",
    "get_bill",
    "give_as_store_credit",
    "give_back",
    "order_bills",
    "order_customs",
    "refund_amount",
    "refund_of",
    "refundable_of",
    "reject_allocation",
    "release_hold",
    "requeue",
]
