// name: projection-id-range
// description: The range of internal ids of the organisations, to read the projections in pages
// params:
MATCH (o:Organization)
RETURN min(id(o)) AS lo, max(id(o)) AS hi, count(o) AS organizations
