"""The pure domain: dataclasses, enums, state machines, money. No I/O."""
