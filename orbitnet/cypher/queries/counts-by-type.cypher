// name: counts-by-type
// description: Number of relationships of each type
// params:
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY count DESC, type
