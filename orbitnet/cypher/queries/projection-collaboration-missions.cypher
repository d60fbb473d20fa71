// name: projection-collaboration-missions
// description: The undertakings listed on each stored COLLABORATES_WITH edge
// params:
MATCH (a:Organization)-[r:COLLABORATES_WITH]->(b:Organization)
RETURN a.id AS source, b.id AS target, r.missions AS missions
