// name: projection-collaborations-page
// description: The stored COLLABORATES_WITH edges whose source's internal id is $page, $page + $pages, ... up to $top, ends as internal ids, with their undertakings and how many there are; a weight from 2^-7 up to 16 comes as the integer weight * 2^59 (exact, and cheaper for the server than printing a double), any other as a float
// params: pages, page, top
UNWIND range($page, $top, $pages) AS i
MATCH (a:Organization)
WHERE id(a) = i
MATCH (a)-[r:COLLABORATES_WITH]->(b:Organization)
RETURN id(a) AS source, id(b) AS target,
       CASE WHEN 0.0078125 <= r.weight < 16.0
            THEN toInteger(toFloatOrNull(r.weight) * 576460752303423488.0)
            ELSE toFloatOrNull(r.weight) END AS weight,
       r.kind AS kind, r.first_year AS first_year, r.last_year AS last_year,
       r.missions AS missions, size(r.missions) AS mission_count
