"""Privacy: personal data is found and replaced before text leaves the system."""
