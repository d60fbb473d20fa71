// name: find-organization
// description: Organisations whose id, name or an alias equals the text, ignoring case
// params: text
// example: text="NASA"
MATCH (o:Organization)
WHERE toLower(o.id) = toLower($text) OR toLower(o.name) = toLower($text)
   OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($text))
RETURN o.id AS id, o.name AS name, o.sector AS sector
ORDER BY id
