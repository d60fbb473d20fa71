// name: members
// description: Member states of an organisation (default ESA) with the year each joined
// params: org="esa"
MATCH (c:Country)-[m:MEMBER_OF]->(o:Organization {id: $org})
RETURN c.id AS country, c.name AS name, m.since AS since
ORDER BY since, name
