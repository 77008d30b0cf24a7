"""运行状态: health (/healthz), Prometheus metrics (/metrics), the worker supervisor and its heartbeat, structured
logs with a request id, and the system administrator's 运行状态 page."""
