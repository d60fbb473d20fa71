// name: projection-participations-page
// description: The participations of the organisations with an internal id in [lo, hi], ends as internal ids
// params: lo, hi
MATCH (o:Organization)
WHERE id(o) >= $lo AND id(o) <= $hi
MATCH (o)-[r:PARTICIPATES_IN]->(u)
RETURN id(o) AS org, id(u) AS undertaking, r.role AS role
