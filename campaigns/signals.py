"""What the notice tells the apps above it, without importing them.

``milestone_opened`` is sent, inside the writing transaction, for each milestone of a
campaign when the campaign is published, and for a milestone added to or changed in a
published campaign. The reports app creates the addressees' submissions on it, so a
report exists from the minute it is due, not from the first visit.
"""

from django.dispatch import Signal

milestone_opened = Signal()  # kwargs: milestone
