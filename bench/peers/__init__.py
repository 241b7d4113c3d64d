"""The same rules written in other engines, to time guardpath against."""
