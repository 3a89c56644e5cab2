-- Collectors are user accounts (issue 15). customers.assigned_collector, invoices.assigned_collector
-- and tasks.assignee hold a user id; older rows may still hold a free-text name from an import or
-- an earlier version. Each such name becomes the id of the one active user of the organisation
-- whose name or email matches it (case and surrounding spaces ignored). A name that matches no
-- user, or several, is cleared so the work shows as unassigned, and kept where a person will
-- read it: the customer's notes (customers, invoices) or the task's detail (previousAssignee).
-- Idempotent: a user id is never rewritten.

CREATE TEMPORARY TABLE collector_names ON COMMIT DROP AS
SELECT n.org_id, n.name, (array_agg(u.id::text))[1] AS user_id, count(u.id) AS matches
FROM (
  SELECT org_id, assigned_collector AS name FROM customers WHERE assigned_collector IS NOT NULL
  UNION
  SELECT org_id, assigned_collector FROM invoices WHERE assigned_collector IS NOT NULL
  UNION
  SELECT org_id, assignee FROM tasks WHERE assignee IS NOT NULL
) n
LEFT JOIN users u ON u.org_id = n.org_id AND u.disabled_at IS NULL
  AND (lower(trim(u.name)) = lower(trim(n.name)) OR lower(u.email) = lower(trim(n.name)))
WHERE n.name !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
GROUP BY n.org_id, n.name;

UPDATE customers c SET assigned_collector = m.user_id, updated_at = now()
FROM collector_names m
WHERE m.org_id = c.org_id AND m.name = c.assigned_collector AND m.matches = 1;

UPDATE invoices i SET assigned_collector = m.user_id, updated_at = now()
FROM collector_names m
WHERE m.org_id = i.org_id AND m.name = i.assigned_collector AND m.matches = 1;

UPDATE tasks t SET assignee = m.user_id
FROM collector_names m
WHERE m.org_id = t.org_id AND m.name = t.assignee AND m.matches = 1;

-- Names without exactly one user: noted, then cleared.
UPDATE customers c SET
  notes = concat_ws(E'\n', c.notes,
    'Chargé de recouvrement « ' || c.assigned_collector || ' » : aucun compte utilisateur ne correspond, client non attribué.'),
  assigned_collector = NULL, updated_at = now()
FROM collector_names m
WHERE m.org_id = c.org_id AND m.name = c.assigned_collector AND m.matches <> 1;

UPDATE customers c SET
  notes = concat_ws(E'\n', c.notes, x.note), updated_at = now()
FROM (
  SELECT i.org_id, i.customer_id,
    string_agg('Facture ' || i.invoice_number || ' : chargé de recouvrement « ' || i.assigned_collector
      || ' » sans compte utilisateur, facture non attribuée.', E'\n' ORDER BY i.invoice_number) AS note
  FROM invoices i JOIN collector_names m ON m.org_id = i.org_id AND m.name = i.assigned_collector AND m.matches <> 1
  GROUP BY i.org_id, i.customer_id
) x
WHERE c.org_id = x.org_id AND c.id = x.customer_id;

UPDATE invoices i SET assigned_collector = NULL, updated_at = now()
FROM collector_names m
WHERE m.org_id = i.org_id AND m.name = i.assigned_collector AND m.matches <> 1;

UPDATE tasks t SET
  detail = t.detail || jsonb_build_object('previousAssignee', t.assignee), assignee = NULL
FROM collector_names m
WHERE m.org_id = t.org_id AND m.name = t.assignee AND m.matches <> 1;
