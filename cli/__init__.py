"""The market-access command line."""
