# tests/db: the libpq layer against a real server.
check_PROGRAMS += tests/db/db_migrate
TESTS += tests/db/db_migrate
tests_db_db_migrate_CFLAGS = $(TEST_CFLAGS)
tests_db_db_migrate_LDADD = $(TEST_DB_LIBS)
check_PROGRAMS += tests/db/db_util
TESTS += tests/db/db_util
tests_db_db_util_CFLAGS = $(TEST_CFLAGS)
tests_db_db_util_LDADD = $(TEST_DB_LIBS)
TESTS += tests/db/db_admin_messages.sh
EXTRA_DIST += tests/db/db_admin_messages.sh
