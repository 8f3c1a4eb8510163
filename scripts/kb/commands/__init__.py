"""Subcommands of `kb`: one module each, found automatically by kb.cli."""
