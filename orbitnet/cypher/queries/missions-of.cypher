// name: missions-of
// description: Missions and programmes one organisation (by id) takes part in, newest first
// params: org
// example: org="esa"
MATCH (o:Organization {id: $org})-[r:PARTICIPATES_IN]->(u)
RETURN u.id AS id, u.name AS name, labels(u)[0] AS label, r.role AS role,
       r.contribution AS contribution, coalesce(u.launch_year, u.start_year) AS year
ORDER BY year DESC, id
