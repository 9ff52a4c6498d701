/**
 * Working-time calendars defined or changed at run time (sales offices' schedules, a new
 * decree's exception). The shipped calendars (calendars/*.json) need no row; a row with the
 * same id supersedes the shipped definition, keeping its versions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('calendars', (t) => {
    t.comment('Calendars defined at run time; each holds all its versions');
    t.text('id').primary().comment('Calendar id referenced by offices, contracts and pinned policies');
    t.jsonb('spec').notNullable().comment('Versioned calendar spec (docs/calendar-format.md), oldest version first');
    t.integer('revision').notNullable().defaultTo(1).comment('Bumped on every change; caches compare it');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the spec last changed');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('calendars');
};
