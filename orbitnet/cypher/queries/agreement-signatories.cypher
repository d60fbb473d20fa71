// name: agreement-signatories
// description: Signatories of an agreement (default the Artemis Accords) in order of signing
// params: agreement="artemis-accords"
MATCH (s)-[r:SIGNED]->(a:Agreement {id: $agreement})
RETURN s.id AS id, s.name AS name, labels(s)[0] AS label, r.date AS date, r.source AS source
ORDER BY date, name
