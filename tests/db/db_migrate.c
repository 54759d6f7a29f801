/* Migrations: order, idempotency, rollback of a failing one, refusal of a
 * newer database, and the real sql/ folder applied to the test database. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "db/migrate.h"

struct fixture {
	char sqldir[64];
	char dbname[96];
	PGconn *admin;	/* connected to the wrapper's database */
	PGconn *conn;	/* connected to a fresh, empty database */
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static PGconn *connect_db(const char *dbname)
{
	struct db_error err = { 0 };
	char *ci = xasprintf("dbname=%s", dbname);
	PGconn *c = db_connect(ci, &err);

	free(ci);
	if (c == NULL)
		fail_msg("connect %s: %s", dbname, err.message);
	return c;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct db_error err = { 0 };
	char *sql;

	snprintf(f->sqldir, sizeof(f->sqldir), "/tmp/gbmig.XXXXXX");
	if (mkdtemp(f->sqldir) == NULL)
		return -1;
	snprintf(f->dbname, sizeof(f->dbname), "%s_m", getenv("PGDATABASE"));
	f->admin = connect_db(getenv("PGDATABASE"));
	sql = xasprintf("CREATE DATABASE %s", f->dbname);
	if (!db_exec_script(f->admin, sql, &err))
		fail_msg("create database: %s", err.message);
	free(sql);
	f->conn = connect_db(f->dbname);
	write_file(f->sqldir, "001_first.sql", "CREATE TABLE a (x int);\n");
	write_file(f->sqldir, "002_second.sql", "CREATE TABLE b (y int); INSERT INTO a VALUES (1);\n");
	write_file(f->sqldir, "README", "not a migration\n");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };
	char *cmd = xasprintf("rm -rf '%s'", f->sqldir);
	char *sql = xasprintf("DROP DATABASE IF EXISTS %s", f->dbname);

	PQfinish(f->conn);
	db_exec_script(f->admin, sql, &err);
	db_error_clear(&err);
	PQfinish(f->admin);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(sql);
	free(f);
	return 0;
}

static int count_rows(PGconn *c, const char *sql)
{
	struct db_error err = { 0 };
	PGresult *r = db_exec(c, sql, 0, NULL, &err);
	int n;

	if (r == NULL)
		fail_msg("%s: %s", sql, err.message);
	n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

static void test_applies_in_order_once(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };

	assert_int_equal(migrate_current(f->conn, &err), 0);
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 2);
	assert_int_equal(migrate_current(f->conn, &err), 2);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM a"), 1);
	/* Again: nothing to do, nothing applied twice. */
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 0);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM a"), 1);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM gb_schema_version"), 2);
}

/* A file numbered below the database's highest (merged late) still runs. */
static void test_applies_a_late_lower_number(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };

	write_file(f->sqldir, "004_fourth.sql", "INSERT INTO a VALUES (4);\n");
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 3);
	write_file(f->sqldir, "003_late.sql", "INSERT INTO a VALUES (3);\n");
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 1);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM a WHERE x = 3"), 1);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM gb_schema_version"), 4);
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 0);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM a"), 3);
}

static void test_failing_migration_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };

	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 2);
	write_file(f->sqldir, "003_broken.sql",
		   "CREATE TABLE c (z int); INSERT INTO a VALUES (2); SELECT 1/0;\n");
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), -1);
	assert_non_null(strstr(err.message, "003_broken.sql"));
	db_error_clear(&err);
	assert_int_equal(migrate_current(f->conn, &err), 2);
	assert_int_equal(count_rows(f->conn, "SELECT count(*) FROM a"), 1);
	assert_int_equal(count_rows(f->conn,
		"SELECT count(*) FROM pg_tables WHERE tablename = 'c'"), 0);
}

static void test_refuses_newer_database(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };

	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), 2);
	assert_true(db_exec_script(f->conn,
		"INSERT INTO gb_schema_version(version, name) VALUES (9, '009_future.sql')", &err));
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), -1);
	assert_non_null(strstr(err.message, "比本程序认识的 2 新"));
	db_error_clear(&err);
}

static void test_refuses_duplicate_numbers(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };

	write_file(f->sqldir, "002_again.sql", "SELECT 1;\n");
	assert_int_equal(migrate_apply(f->conn, f->sqldir, NULL, &err), -1);
	assert_non_null(strstr(err.message, "迁移编号重复"));
	db_error_clear(&err);
	assert_int_equal(migrate_current(f->conn, &err), 0);
}

/* The wrapper built the test database with the real migrations. */
static void test_real_schema_is_current(void **state)
{
	struct fixture *f = *state;
	struct db_error err = { 0 };
	int known = migrate_latest_known(migrate_sqldir(), &err);

	assert_true(known >= 0);
	assert_int_equal(migrate_current(f->admin, &err), known);
	assert_int_equal(migrate_apply(f->admin, migrate_sqldir(), NULL, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_applies_in_order_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_applies_a_late_lower_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_duplicate_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_schema_is_current, setup, teardown),
	};

	return cmocka_run_group_tests_name("db_migrate", tests, NULL, NULL);
}
