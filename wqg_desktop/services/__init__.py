"""Use cases: one user action = one function call = one transaction. No Qt here."""
