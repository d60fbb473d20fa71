// name: projection-participation-count
// description: How many PARTICIPATES_IN relationships are stored (sizes the projection's pages)
// params:
MATCH ()-[r:PARTICIPATES_IN]->()
RETURN count(r) AS relationships
