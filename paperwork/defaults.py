"""This app's row of the rule table (ensured by common.reference_data): how long OSP may take to answer an
account request before it is chased.

RULES.md sets no such period; 14 days is assumed (OSP loads LEDS user names about monthly, so a request
unanswered after two weeks is worth a call). An administrator may change it in the rule table.
"""

OSP_REPLY = ("osp_request_reply", "R-AC-1", "OSP answers an account request within 14 days (assumed)", 14, "days", [])
OSP_REPLY_DAYS = 14
