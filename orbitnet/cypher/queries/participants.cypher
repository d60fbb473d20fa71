// name: participants
// description: Who takes part in one mission, programme or agreement (by id), with role and contribution
// params: id
// example: id="jwst"
MATCH (o:Organization)-[r:PARTICIPATES_IN|SIGNED]->(u {id: $id})
RETURN o.id AS org, o.name AS name, type(r) AS relationship, r.role AS role,
       r.contribution AS contribution, r.source AS source
ORDER BY org, role
