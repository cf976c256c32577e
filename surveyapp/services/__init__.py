"""Use cases. Services take plain data and the acting user, change models and flush;
the caller (a view or a command) commits once."""
