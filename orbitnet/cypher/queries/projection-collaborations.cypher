// name: projection-collaborations
// description: The stored COLLABORATES_WITH edges with weight, kind and years
// params:
MATCH (a:Organization)-[r:COLLABORATES_WITH]->(b:Organization)
RETURN a.id AS source, b.id AS target, r.weight AS weight, r.kind AS kind,
       r.first_year AS first_year, r.last_year AS last_year
