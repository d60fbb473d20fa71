// name: projection-collaboration-count
// description: How many COLLABORATES_WITH relationships are stored (sizes the projection's pages)
// params:
MATCH ()-[r:COLLABORATES_WITH]->()
RETURN count(r) AS relationships
