"""Renderers: a report in, text out. Formatting only, never arithmetic."""
