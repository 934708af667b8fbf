"""The questions the API answers, as pure functions of the catalogue."""
