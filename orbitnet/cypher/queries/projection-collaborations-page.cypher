// name: projection-collaborations-page
// description: The stored COLLABORATES_WITH edges whose source has an internal id in [lo, hi], ends as internal ids
// params: lo, hi
MATCH (a:Organization)
WHERE id(a) >= $lo AND id(a) <= $hi
MATCH (a)-[r:COLLABORATES_WITH]->(b:Organization)
RETURN id(r) AS rel, id(a) AS source, id(b) AS target, r.weight AS weight, r.kind AS kind,
       r.first_year AS first_year, r.last_year AS last_year
