"""cinerec: movie recommendations and analytics over The Movies Dataset."""

__version__ = "0.1.0"
