// name: projection-involvements
// description: Every organisation-undertaking link: participations with their role, signatures as 'signatory'
// params:
MATCH (o:Organization)-[r:PARTICIPATES_IN]->(u)
RETURN o.id AS org, u.id AS undertaking, r.role AS role
UNION ALL
MATCH (o:Organization)-[:SIGNED]->(a:Agreement)
RETURN o.id AS org, a.id AS undertaking, 'signatory' AS role
