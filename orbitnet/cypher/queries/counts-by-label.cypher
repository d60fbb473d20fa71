// name: counts-by-label
// description: Number of nodes with each label
// params:
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY count DESC, label
