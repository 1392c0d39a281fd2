"""The write path: files -> clean text + metadata -> chunks -> vectors -> Chroma."""
