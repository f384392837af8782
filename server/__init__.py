"""The CESI EATS process: settings, app factory, storage, use cases, worker."""
