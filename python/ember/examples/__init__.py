"""Runnable examples: `python -m ember.examples.tour`."""
