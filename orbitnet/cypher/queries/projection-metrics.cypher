// name: projection-metrics
// description: Every organisation's stored properties, including metrics written by 'orbitnet analyze --write'
// params:
MATCH (o:Organization)
RETURN o.id AS id, properties(o) AS props
