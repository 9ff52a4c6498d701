// Moved to services/registration/identity.ts; kept so existing imports keep working.
export { requestIdentity, type RequestIdentity } from '../services/registration/identity';
