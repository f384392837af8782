"""Operations: Prometheus metrics, the node registry, store health and graceful draining."""
