// name: projection-signatures
// description: Every organisation's signature of an agreement as an involvement with the role 'signatory', ends as internal ids
// params:
MATCH (o:Organization)-[:SIGNED]->(a:Agreement)
RETURN id(o) AS org, id(a) AS undertaking, 'signatory' AS role
