"""Benchmarks of wqg-desktop: ``python -m bench`` runs them all (see bench/README.md)."""
