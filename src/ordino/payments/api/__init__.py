"""Payments' HTTP routes: gift cards."""
