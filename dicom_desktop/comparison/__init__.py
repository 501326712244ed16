"""Comparing two organisations: change types and wording, the word diff, the diff itself, the patch that replays it, and the change colours."""
