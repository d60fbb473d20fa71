// name: projection-organization-aliases
// description: The aliases of the organisations that have any
// params:
MATCH (o:Organization)
WHERE size(coalesce(o.aliases, [])) > 0
RETURN o.id AS id, o.aliases AS aliases
