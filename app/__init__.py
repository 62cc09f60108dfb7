"""Bord: a digital improvement board for Dutch schools."""
