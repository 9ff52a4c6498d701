/**
 * One counter that moves with every change to the policy facts (customers, their holdings,
 * contracts, pilots, products and sales offices), so an API process may keep a customer's facts
 * between registrations and know, with one single-row read, whether they are still current
 * (services/registration/facts-cache.ts). A statement trigger on each facts table bumps it in
 * the changing transaction: a reader sees the new number exactly when it can see the new facts.
 * (A sequence would not do: nextval is visible before the change commits.)
 *
 * @param {import('knex').Knex} knex
 */
const FACTS_TABLES = ['products', 'sales_offices', 'customers', 'representatives', 'licenses', 'update_purchases', 'pilots', 'pilot_products', 'contracts', 'contract_products'];

exports.up = async function up(knex) {
  await knex.raw(`
    create table policy_facts_version (
      only_row boolean primary key default true check (only_row),
      version bigint not null
    )`);
  await knex.raw('insert into policy_facts_version (version) values (1)');
  await knex.raw(`
    create function bump_policy_facts_version() returns trigger language plpgsql as $$
    begin
      update policy_facts_version set version = version + 1;
      return null;
    end
    $$`);
  for (const table of FACTS_TABLES) {
    await knex.raw(`
      create trigger ${table}_bump_facts_version_trg
        after insert or update or delete or truncate on ${table}
        for each statement execute function bump_policy_facts_version()`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of FACTS_TABLES) await knex.raw(`drop trigger ${table}_bump_facts_version_trg on ${table}`);
  await knex.raw('drop function bump_policy_facts_version()');
  await knex.raw('drop table policy_facts_version');
};
