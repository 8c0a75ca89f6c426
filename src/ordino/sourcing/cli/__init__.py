"""Sourcing's commands: `ordino simulate sourcing`, the planner's simulation of a
day of orders under profiles, with its scenario generator and text report."""
