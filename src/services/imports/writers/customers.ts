import { upsertBatch, upsertPrimaryContacts } from '../../../db/queries/ledger-writes.js';
import { type CustomerRecord, validateCustomer } from '../../../domain/import/validate.js';
import { type EntityHandler, has } from './context.js';

export const customersHandler: EntityHandler<CustomerRecord> = {
  keyField: 'externalRef',
  validate: validateCustomer,
  async write(trx, ctx, rows, checkOnly) {
    if (checkOnly || rows.length === 0) return { created: 0, updated: 0, unchanged: 0, errors: [] };
    const col = <K extends keyof CustomerRecord>(k: K) => rows.map((r) => r[k]);
    const upd = (field: string) => has(ctx, field);
    const result = await upsertBatch(trx, ctx.orgId, ctx.batchId, ctx.actor, {
      table: 'customers',
      entity: 'customer',
      key: 'external_ref',
      hasUpdatedAt: true,
      hasBatchColumn: false,
      columns: [
        { name: 'external_ref', type: 'text', values: col('externalRef'), update: false },
        { name: 'name', type: 'text', values: col('name'), update: true },
        { name: 'kind', type: 'text', values: col('kind'), insertDefault: "'b2b'", update: upd('kind') },
        { name: 'siren', type: 'text', values: col('siren'), update: upd('siren') || upd('siret') },
        { name: 'siret', type: 'text', values: col('siret'), update: upd('siret') },
        { name: 'vat_number', type: 'text', values: col('vatNumber'), update: upd('vatNumber') },
        { name: 'address_line1', type: 'text', values: col('address1'), update: upd('address1') },
        { name: 'address_line2', type: 'text', values: col('address2'), update: upd('address2') },
        { name: 'postal_code', type: 'text', values: col('postalCode'), update: upd('postalCode') },
        { name: 'city', type: 'text', values: col('city'), update: upd('city') },
        {
          name: 'country',
          type: 'text',
          values: col('country'),
          insertDefault: "'FR'",
          update: upd('country'),
        },
        {
          name: 'segment',
          type: 'text',
          values: col('segment'),
          insertDefault: "'standard'",
          update: upd('segment'),
        },
        {
          name: 'credit_limit_minor',
          type: 'bigint',
          values: col('creditLimit'),
          update: upd('creditLimit'),
        },
        {
          name: 'currency',
          type: 'text',
          values: col('currency'),
          insertDefault: `'${ctx.defaults.currency.replace(/[^A-Z]/g, '')}'`,
          update: upd('currency'),
        },
        {
          name: 'language',
          type: 'text',
          values: col('language'),
          insertDefault: "'fr'",
          update: upd('language'),
        },
        {
          name: 'assigned_collector',
          type: 'text',
          values: col('assignedCollector'),
          update: upd('assignedCollector'),
        },
        {
          name: 'payment_terms_days',
          type: 'integer',
          values: col('paymentTermsDays'),
          update: upd('paymentTermsDays'),
        },
      ],
    });
    if (upd('email') || upd('phone') || upd('contactName')) {
      await upsertPrimaryContacts(trx, ctx.orgId, {
        customerRefs: col('externalRef'),
        names: col('contactName'),
        emails: col('email'),
        phones: col('phone'),
      });
    }
    return { created: result.created, updated: result.updated, unchanged: result.unchanged, errors: [] };
  },
};
