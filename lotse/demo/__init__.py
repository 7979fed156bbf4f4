"""Demo data for all apps, in one place above them (decision 0009).

This package imports the apps and writes through their services; no app imports it
(``tests/test_architecture.py`` checks). Its part of a blueprint,
``lotse/demo/blueprints/NAME.yaml``, holds every demo setting; ``blueprint.load`` tells the
story in order. Name lists, places and texts are data files in ``lotse/demo/data/``.
"""
