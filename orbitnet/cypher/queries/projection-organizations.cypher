// name: projection-organizations
// description: Every organisation with the attributes the NetworkX projection needs
// params:
MATCH (o:Organization)
RETURN o.id AS id, o.name AS name, o.sector AS sector, o.country AS country,
       o.aliases AS aliases, o.source AS source
