"""Prompt templates, shipped inside the package: `*.md` files with $variables."""
