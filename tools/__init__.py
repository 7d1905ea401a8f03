"""Maintainer scripts, not part of the workshop's `helpers` (run from the repository root)."""
