// name: projection-collaboration-missions-of
// description: The undertakings listed on the COLLABORATES_WITH edges between the given pairs of internal node ids
// params: pairs
UNWIND $pairs AS pair
WITH pair[0] AS source_node, pair[1] AS target_node
MATCH (a)
WHERE id(a) = source_node
MATCH (a)-[r:COLLABORATES_WITH]->(b)
WHERE id(b) = target_node
RETURN a.id AS source, b.id AS target, r.missions AS missions
