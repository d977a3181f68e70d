"""Rendering: worker processes, executors, the content-addressed cache, shards, batch, progress."""
