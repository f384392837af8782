"""In-app notifications: written in the change's transaction, pushed live after its commit."""
