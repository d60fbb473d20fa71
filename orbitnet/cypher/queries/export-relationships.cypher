// name: export-relationships
// description: Every relationship between nodes with an id-owning label: ends, type and properties (for export)
// params:
MATCH (a)-[r]->(b)
WHERE (a:Organization OR a:Country OR a:Mission OR a:Program OR a:Agreement)
  AND (b:Organization OR b:Country OR b:Mission OR b:Program OR b:Agreement)
RETURN labels(a) AS start_labels, a.id AS start, type(r) AS type, properties(r) AS props,
       labels(b) AS end_labels, b.id AS end
