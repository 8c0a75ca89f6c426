"""The HTTP frame every capability's routes stand on: problem details, the types of
fields, the request guard (the caller's key, limits on bodies and text), what a
route takes from the app (a unit of work, the clock) and the answers of creation."""
