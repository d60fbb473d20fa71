// name: partnerships-by-kind
// description: Derived partnerships (COLLABORATES_WITH) counted by kind, with their total weight
// params:
MATCH (:Organization)-[r:COLLABORATES_WITH]->(:Organization)
RETURN r.kind AS kind, count(*) AS partnerships, sum(r.weight) AS weight
ORDER BY partnerships DESC, kind
