"""kb: the commissioning knowledge base's data, checks and site build.

The pure core (taxonomy, strict loading, validation, rendering) lives in plain modules that the
tests call directly; the command line (kb.cli) and the mkdocs plugin (kb.plugin) only wire it up.
"""
