"""Pure business rules of CESI EATS; imports no I/O library."""
