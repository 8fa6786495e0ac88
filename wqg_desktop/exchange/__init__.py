"""Files that come in and go out: spreadsheets, packages, backups. No Qt here."""
