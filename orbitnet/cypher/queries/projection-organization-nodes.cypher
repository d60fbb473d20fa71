// name: projection-organization-nodes
// description: Every organisation's internal id and scalar attributes for the NetworkX projection, and how many aliases it has
// params:
MATCH (o:Organization)
RETURN id(o) AS node, o.id AS id, o.name AS name, o.sector AS sector, o.country AS country,
       size(coalesce(o.aliases, [])) AS aliases, o.source AS source
