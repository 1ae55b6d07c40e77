"""Coercive Control Practice Lab: the command line, course content loading and serving."""

__version__ = "0.1.0"
