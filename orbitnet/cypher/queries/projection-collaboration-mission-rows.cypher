// name: projection-collaboration-mission-rows
// description: One row per undertaking listed on a stored COLLABORATES_WITH edge, in list order
// params:
MATCH (:Organization)-[r:COLLABORATES_WITH]->(:Organization)
UNWIND r.missions AS mission
RETURN id(r) AS rel, mission
