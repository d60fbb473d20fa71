// name: top-brokers
// description: Organisations with the highest stored betweenness (run 'orbitnet analyze --write' first)
// params: limit=10
MATCH (o:Organization)
WHERE o.betweenness IS NOT NULL
RETURN o.id AS id, o.name AS name, o.sector AS sector, o.betweenness AS betweenness,
       o.community AS community
ORDER BY betweenness DESC, id
LIMIT $limit
