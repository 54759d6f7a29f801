/* db.h helpers against a real server: booleans arrive as "t"/"f" in a
 * plain column but as "true"/"false" through ::text, and both must read the
 * same (the client once showed every passing rule as failed). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "db/db.h"

static void test_booleans_in_both_text_forms(void **state)
{
	struct db_error err = { 0 };
	PGconn *c = db_connect(NULL, &err);
	PGresult *r;

	if (c == NULL)
		fail_msg("connect: %s", err.message);
	r = db_exec(c, "SELECT true, false, true::text, false::text, NULL::boolean", 0, NULL, &err);
	assert_non_null(r);
	assert_true(db_is_true(PQgetvalue(r, 0, 0)));
	assert_false(db_is_true(PQgetvalue(r, 0, 1)));
	assert_true(db_is_true(PQgetvalue(r, 0, 2)));
	assert_false(db_is_true(PQgetvalue(r, 0, 3)));
	assert_false(db_is_true(db_get(r, 0, "bool")));	/* SQL NULL */
	assert_false(db_is_true(NULL));
	PQclear(r);
	PQfinish(c);
}

/* A value never reaches the SQL text: quotes and backslashes round-trip. */
static void test_parameters_are_never_spliced(void **state)
{
	struct db_error err = { 0 };
	PGconn *c = db_connect(NULL, &err);
	const char *nasty = "O'Brien\\\\ $$;-- 昆山（中国）";
	const char *params[1] = { nasty };
	PGresult *r;

	assert_non_null(c);
	r = db_exec(c, "SELECT $1::text", 1, params, &err);
	assert_non_null(r);
	assert_string_equal(PQgetvalue(r, 0, 0), nasty);
	PQclear(r);
	PQfinish(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_booleans_in_both_text_forms),
		cmocka_unit_test(test_parameters_are_never_spliced),
	};

	return cmocka_run_group_tests_name("db_util", tests, NULL, NULL);
}
