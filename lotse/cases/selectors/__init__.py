"""Reads of case work that know the user, one module per thing; rules in ``lotse/cases/access.py``."""
