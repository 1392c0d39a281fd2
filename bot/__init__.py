"""The read path: question -> retrieval -> answer with citations -> CLI / web UI."""
