-- Support's decision on an enhancement request (issue 19, Chevah 003: "check that it is
-- included in the Product roadmap"; Aveksa 002's change requests): its roadmap state
-- (under_consideration, planned, released, declined), the release with the feature and the
-- reason given. NULL until an agent decides; only case types with `roadmap = true` get one.
ALTER TABLE tickets ADD COLUMN roadmap_state TEXT
    CHECK (roadmap_state IN ('under_consideration', 'planned', 'released', 'declined'));
ALTER TABLE tickets ADD COLUMN roadmap_released_in TEXT;
ALTER TABLE tickets ADD COLUMN roadmap_reason TEXT;
