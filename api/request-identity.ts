// Moved to domain/request/identity.ts (pure); kept so existing imports keep working.
export { requestIdentity, type RequestIdentity } from '../domain/request/identity';
