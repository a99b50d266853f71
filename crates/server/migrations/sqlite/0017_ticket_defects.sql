-- The engineering issue a ticket is linked to (issue 19, Chevah 003: "notify the customer of
-- the ticket ID so that they can follow up"): its id in the vendor's tracker, its public
-- address, its state (open, fixed, wont_fix) and the version with the fix. One issue per
-- ticket; customers find their tickets by (part of) the id, as they find them by subject: in
-- the organisation's tickets, without an index of its own (a LIKE with a leading % uses none).
ALTER TABLE tickets ADD COLUMN defect_id TEXT;
ALTER TABLE tickets ADD COLUMN defect_url TEXT;
ALTER TABLE tickets ADD COLUMN defect_state TEXT CHECK (defect_state IN ('open', 'fixed', 'wont_fix'));
ALTER TABLE tickets ADD COLUMN defect_fixed_in TEXT;
