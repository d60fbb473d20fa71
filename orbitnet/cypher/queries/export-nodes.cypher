// name: export-nodes
// description: Every node with an id-owning label, with all its labels and properties (for export)
// params:
MATCH (n)
WHERE n:Organization OR n:Country OR n:Mission OR n:Program OR n:Agreement
RETURN labels(n) AS labels, properties(n) AS props
