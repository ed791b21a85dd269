"""The subject's rights exercised through a member: freeze, lift, and who looked at the file."""
