"""The database: connection (pragmas, writer lock, backup), models and migrations. No Qt."""
