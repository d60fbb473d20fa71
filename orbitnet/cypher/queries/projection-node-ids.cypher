// name: projection-node-ids
// description: The id property of nodes given by internal id (the projection's fallback for unexpected ends)
// params: nodes
MATCH (n)
WHERE id(n) IN $nodes
RETURN id(n) AS node, n.id AS id
