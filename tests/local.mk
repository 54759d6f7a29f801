# Tests: one program per module, TAP output; see tests/pgwrap.sh for the
# private PostgreSQL given to tests named db_* and e2e_*.
TESTS += tests/test_pgcluster.sh
EXTRA_DIST += tests/test_pgcluster.sh
EXTRA_DIST += tests/pgwrap.sh tests/tap.sh tests/lsan.supp
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBPQ_CFLAGS)
TEST_CORE_LIBS = src/core/libcore.a $(CMOCKA_LIBS) $(LIBICONV)
TEST_DB_LIBS = src/db/libdb.a src/core/libcore.a $(CMOCKA_LIBS) $(LIBPQ_LIBS) $(LIBICONV)

include $(srcdir)/tests/core/local.mk
include $(srcdir)/tests/db/local.mk
include $(srcdir)/tests/sql/local.mk
include $(srcdir)/tests/ui/local.mk
include $(srcdir)/tests/cli/local.mk
# Valgrind suppressions for GB_TEST_VALGRIND (tests/pgwrap.sh).
EXTRA_DIST += tests/valgrind.supp
