# tests/core: the Chinese-text core, one cmocka program per module.
check_PROGRAMS += tests/core/test_utf8 tests/core/test_width \
	tests/core/test_escape tests/core/test_encoding tests/core/test_uscc
TESTS += tests/core/test_utf8 tests/core/test_width \
	tests/core/test_escape tests/core/test_encoding tests/core/test_uscc
tests_core_test_utf8_CFLAGS = $(TEST_CFLAGS)
tests_core_test_utf8_LDADD = $(TEST_CORE_LIBS)
tests_core_test_width_CFLAGS = $(TEST_CFLAGS)
tests_core_test_width_LDADD = $(TEST_CORE_LIBS)
tests_core_test_escape_CFLAGS = $(TEST_CFLAGS)
tests_core_test_escape_LDADD = $(TEST_CORE_LIBS)
tests_core_test_encoding_CFLAGS = $(TEST_CFLAGS)
tests_core_test_encoding_LDADD = $(TEST_CORE_LIBS)
tests_core_test_uscc_CFLAGS = $(TEST_CFLAGS)
tests_core_test_uscc_LDADD = $(TEST_CORE_LIBS)
# Widths against ncursesw itself: the test links curses, libcore does not.
check_PROGRAMS += tests/core/test_width_curses
TESTS += tests/core/test_width_curses
tests_core_test_width_curses_CFLAGS = $(TEST_CFLAGS) $(NCURSESW_CFLAGS)
tests_core_test_width_curses_LDADD = $(TEST_CORE_LIBS) $(NCURSESW_LIBS)
check_PROGRAMS += tests/core/test_syserr
TESTS += tests/core/test_syserr
tests_core_test_syserr_CFLAGS = $(TEST_CFLAGS)
tests_core_test_syserr_LDADD = $(TEST_CORE_LIBS)
