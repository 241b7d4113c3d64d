"""The case domain: a volunteer's path from application to citizenship. Plain Python."""
