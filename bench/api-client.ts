import type { LocalStack } from '../infra/local-stack';

/** HTTP calls to the bench stack's API with its bootstrap admin key; throws on an unexpected status. */
export function benchApi(stack: LocalStack) {
  const api = stack.apiUrls[0]!;
  const key = stack.serviceEnv.ADMIN_API_KEY;
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const call = async <T = unknown>(method: string, path: string, expected: number[], body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { url: api, headers, call };
}

/**
 * Facts a warranty registration needs (a product, an office, a customer with a licence bought
 * today), and a factory for valid registration bodies for that customer.
 */
export async function seedWarrantyCustomer(api: ReturnType<typeof benchApi>, run: string) {
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
