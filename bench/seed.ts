import type { StackApi } from '../infra/stack-api';

/**
 * Facts a warranty registration needs (a product, an office, a customer with a licence bought
 * today), and a factory for valid registration bodies for that customer.
 */
export async function seedWarrantyCustomer(api: StackApi, run: string) {
  const ids = { product: `${run}-product`, office: `${run}-office`, customer: `${run}-customer` };
  await api.call('POST', '/v1/products', [201], { id: ids.product, name: 'Bench product', kind: 'commercial' });
  await api.call('POST', '/v1/offices', [201], { id: ids.office, name: 'Bench office', operator: 'supplier', calendarId: 'office-moscow' });
  await api.call('POST', '/v1/customers', [201], { id: ids.customer, name: 'Bench customer', officeId: ids.office });
  await api.call('POST', `/v1/customers/${ids.customer}/licenses`, [201], { id: `${run}-licence`, productId: ids.product, purchasedOn: new Date().toISOString().slice(0, 10) });
  return (i: number) => ({
    subject: `bench request ${i}`,
    customerId: ids.customer,
    productId: ids.product,
    channel: 'supplier-email',
    category: 'defect-report',
    externalRef: `${run}-${i}`,
  });
}
