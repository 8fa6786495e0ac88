"""Qt-free domain rules: levels, terms, Chinese formatting, lifecycle, calendars."""
