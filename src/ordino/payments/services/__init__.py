"""Payments' use cases and the port they speak to."""

from ordino.payments.services.gift_cards import GiftCardIssue, gift_card, issue_gift_card
from ordino.payments.services.ports import PaymentsWork

__all__ = [
    "GiftCardIssue",
    "PaymentsWork",
    "gift_card",
    "issue_gift_card",
]
