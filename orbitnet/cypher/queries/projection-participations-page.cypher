// name: projection-participations-page
// description: The participations of the organisations whose internal id is $page, $page + $pages, ... up to $top, ends as internal ids
// params: pages, page, top
UNWIND range($page, $top, $pages) AS i
MATCH (o:Organization)
WHERE id(o) = i
MATCH (o)-[r:PARTICIPATES_IN]->(u)
RETURN id(o) AS org, id(u) AS undertaking, r.role AS role
