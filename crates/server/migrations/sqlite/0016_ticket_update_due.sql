-- When support's next update to the customer is due (issue 19: the policy's update_intervals,
-- DDEV's hourly updates on Urgent issues). Set by a public agent reply, when the ticket comes
-- back to support and when its severity changes, while the ticket is with support after the
-- first response; NULL otherwise. Stored like response_due_at, so lists read it as it is.
ALTER TABLE tickets ADD COLUMN update_due_at INTEGER;
