"""Knowledge: the one curated source the assistant answers from, and search over it."""
