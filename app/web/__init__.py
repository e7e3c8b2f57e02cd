"""The web pages Painmap serves itself: the body-map explorer at ``/``."""
