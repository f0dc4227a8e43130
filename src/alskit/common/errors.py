"""The one error a user can fix: a problem with their input files or parameters, never a bug. Every stage stops
on it with one line naming the file, column, cell or parameter and what was expected (:func:`alskit.common.cli.run`);
in a module of its own so that everything can raise it without importing the stage runner."""


class UserError(Exception):
    """A problem with the user's input files or parameters (not a bug)."""
