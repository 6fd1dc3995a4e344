// Secrets are masked before the page shows a task or an event. The rule comes from the
// emulator (/_emulator/info "secrets": the SDK's own, xpander_sdk._redact), and this is
// its `masked` line for line, so the page, the journal and the control API all mask the
// same fields the same way. The API's own answers carry the values: the page masks them.

/** `value` (parsed JSON) with every secret replaced by `rule.mask`, at any depth. */
export function masked(value, rule, secrets = new Set(rule.fields)) {
  if (Array.isArray(value)) return value.map((item) => masked(item, rule, secrets));
  if (!isObject(value)) return value;
  const server = () => new Set([...secrets, ...rule.mcp_server_fields]);
  // fromEntries, not assignment: a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => {
    if (secrets.has(key) && item !== null) return [key, rule.mask];
    if (key === "mcp_servers" && Array.isArray(item)) {
      // A server that is not an object cannot be masked field by field: all of it is.
      return [key, item.map((one) => (isObject(one) ? masked(one, rule, server()) : rule.mask))];
    }
    if (key === "mcp_servers") return [key, masked(item, rule, server())];
    return [key, masked(item, rule, secrets)];
  }));
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
