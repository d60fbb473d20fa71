// name: projection-collaborations-page
// description: The stored COLLABORATES_WITH edges whose source's internal id is $page, $page + $pages, ... up to $top, ends as internal ids, with their undertakings and how many there are
// params: pages, page, top
UNWIND range($page, $top, $pages) AS i
MATCH (a:Organization)
WHERE id(a) = i
MATCH (a)-[r:COLLABORATES_WITH]->(b:Organization)
RETURN id(a) AS source, id(b) AS target, r.weight AS weight, r.kind AS kind,
       r.first_year AS first_year, r.last_year AS last_year, r.missions AS missions,
       size(r.missions) AS mission_count
