// name: projection-undertaking-nodes
// description: Every mission, programme and agreement with its internal id and year (launch, start or signing)
// params:
MATCH (u)
WHERE u:Mission OR u:Program OR u:Agreement
RETURN id(u) AS node, u.id AS id, u.name AS name, labels(u)[0] AS label,
       coalesce(u.launch_year, u.start_year, toInteger(substring(u.signed, 0, 4))) AS year,
       u.end_year AS end_year
