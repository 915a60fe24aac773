"""Samenspel: a virtual assistant and human agents serving customers together."""

__version__ = "0.1.0"
