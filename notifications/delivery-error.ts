/**
 * Why a send did not go through. `permanent`: the receiver refused this notification and
 * sending it again would be refused again (HTTP 4xx except 408/429, SMTP 5yz). Otherwise it is
 * worth retrying (network, timeouts, HTTP 5xx/408/429, SMTP 4yz, configuration).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly details: { status?: number; retryAfterMs?: number; code?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
