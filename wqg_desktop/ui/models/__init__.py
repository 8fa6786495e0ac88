"""Table models: QAbstractTableModel adapters over service queries."""
