"""summarizer: grounded, structured news summaries with open questions."""

__version__ = "0.1.0"
