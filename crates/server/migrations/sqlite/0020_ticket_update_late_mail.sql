-- The optional mail to the customer when support's update is late (issue 19, the plan's
-- late_update_mail): the update_due_at the mail was sent for, so each missed update is mailed
-- once, and a later one after support's next reply is mailed again. The late tickets are found
-- through tickets_by_due (0019), whose key is update_due_at once support has answered.
ALTER TABLE tickets ADD COLUMN update_late_mailed_for INTEGER;
