/** What an intake system tells us about a new support request. */
export interface Registration {
  subject: string;
  description?: string;
  customerId?: string;
  productId?: string;
  channel?: string;
  category?: string;
  priority?: string;
  reporter?: string;
  externalRef?: string;
  /** The closed request this one follows up: the customer wrote back after its reopen window. */
  followUpOf?: string;
}
