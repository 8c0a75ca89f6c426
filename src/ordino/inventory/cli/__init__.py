"""Inventory's commands: `ordino inventory import` (a count file) and `ordino geo
import` (where postal codes are, for "pick up near me")."""
