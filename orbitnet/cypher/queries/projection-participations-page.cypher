// name: projection-participations-page
// description: The participations of the organisations whose internal id modulo $pages is $page, ends as internal ids
// params: pages, page
MATCH (o:Organization)
WHERE id(o) % $pages = $page
MATCH (o)-[r:PARTICIPATES_IN]->(u)
RETURN id(o) AS org, id(u) AS undertaking, r.role AS role
