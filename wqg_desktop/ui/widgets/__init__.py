"""Small custom widgets drawn or driven in code (no Designer form of their own)."""
