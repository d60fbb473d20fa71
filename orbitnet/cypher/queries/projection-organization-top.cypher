// name: projection-organization-top
// description: The highest internal id of an organisation (the projection's pages step through the ids up to it)
// params:
MATCH (a:Organization)
RETURN max(id(a)) AS top
