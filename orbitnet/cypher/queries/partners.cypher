// name: partners
// description: Partners of one organisation (by id), strongest first, optionally of one kind
// params: org, kind=null, limit=50
// example: org="nasa"
MATCH (o:Organization {id: $org})-[r:COLLABORATES_WITH]-(p:Organization)
WHERE $kind IS NULL OR r.kind = $kind
RETURN p.id AS id, p.name AS name, p.sector AS sector, r.kind AS kind, r.weight AS weight,
       r.missions AS missions, r.first_year AS first_year, r.last_year AS last_year
ORDER BY weight DESC, id
LIMIT $limit
