"""Demo data for all apps, in one place above them.

This package imports the apps and writes through their services; no app imports it. Its
part of a blueprint, ``lotse/demo/blueprints/NAME.yaml``, holds the demo settings;
``blueprint.load`` tells the story in order. Name lists, places and texts are data files in
``lotse/demo/data/``.
"""
