"""Identity screening: names across scripts, blocking keys, scores with reasons, watch-lists.

Plain Python, no framework: the services put the keys behind blind indexes and open the
sealed identities they compare. Nothing here is ever merged automatically; a match is a
candidate for a person to look at, with the features that agreed and those that did not.
"""
