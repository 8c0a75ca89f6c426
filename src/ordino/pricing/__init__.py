"""Pricing: the money of an order, line by line — prices, discounts and who gave
them, taxes, charges — and, as issue 17 goes on (docs/money.md), channel prices,
promotions, tax providers, shipping charges and exchange rates. It ranks above
promising (a quote prices a cart) and below payments and orders (capture prices
the order it places)."""
