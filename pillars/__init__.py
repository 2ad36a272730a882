"""Pillars: scholarly articles on international security as linked data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pillars")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
