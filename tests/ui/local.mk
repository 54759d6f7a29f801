# tests/ui: widgets drawn into curses screens on /dev/null (test_*), and the
# client end to end in tmux against a real server (e2e_*.sh).
TEST_UI_LIBS = src/ui/libui.a src/db/libdb.a src/core/libcore.a $(CMOCKA_LIBS) \
	$(NCURSESW_LIBS) $(LIBPQ_LIBS) $(LIBICONV)
TEST_UI_CFLAGS = $(TEST_CFLAGS) $(NCURSESW_CFLAGS) -I$(top_srcdir)/tests/ui

check_PROGRAMS += tests/ui/test_table
TESTS += tests/ui/test_table
tests_ui_test_table_SOURCES = tests/ui/test_table.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_table_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_table_LDADD = $(TEST_UI_LIBS)

check_PROGRAMS += tests/ui/test_input
TESTS += tests/ui/test_input
tests_ui_test_input_SOURCES = tests/ui/test_input.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_input_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_input_LDADD = $(TEST_UI_LIBS)

check_PROGRAMS += tests/ui/test_form
TESTS += tests/ui/test_form
tests_ui_test_form_SOURCES = tests/ui/test_form.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_form_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_form_LDADD = $(TEST_UI_LIBS)

check_PROGRAMS += tests/ui/db_listen_pager
TESTS += tests/ui/db_listen_pager
tests_ui_db_listen_pager_CFLAGS = $(TEST_CFLAGS)
tests_ui_db_listen_pager_LDADD = $(TEST_DB_LIBS)

# End to end: real terminals (tmux), real server (pgwrap; the restart test
# runs its own cluster).
TESTS += tests/ui/e2e_workflow.sh tests/ui/e2e_restart.sh tests/ui/e2e_batch.sh
EXTRA_DIST += tests/ui/e2e_lib.sh tests/ui/e2e_workflow.sh tests/ui/e2e_restart.sh \
	tests/ui/e2e_batch.sh

check_PROGRAMS += tests/ui/test_dialog
TESTS += tests/ui/test_dialog
tests_ui_test_dialog_SOURCES = tests/ui/test_dialog.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_dialog_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_dialog_LDADD = $(TEST_UI_LIBS)

# Ambiguous width: ncursesw must count ① × ※ “ ” as width.h does (both modes).
check_PROGRAMS += tests/ui/test_ambiguous
TESTS += tests/ui/test_ambiguous
tests_ui_test_ambiguous_SOURCES = tests/ui/test_ambiguous.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_ambiguous_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_ambiguous_LDADD = $(TEST_UI_LIBS)

# The list panels against a real server, keys given before answers arrive.
check_PROGRAMS += tests/ui/db_listview
TESTS += tests/ui/db_listview
tests_ui_db_listview_SOURCES = tests/ui/db_listview.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_db_listview_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_db_listview_LDADD = $(TEST_UI_LIBS)

# Recording in place: the score tree's layout, score and date checks; the
# officer's path end to end (scores, visit, credit check, why not).
check_PROGRAMS += tests/ui/test_record
TESTS += tests/ui/test_record
TESTS += tests/ui/e2e_record.sh tests/ui/db_record.sh
EXTRA_DIST += tests/ui/e2e_record.sh tests/ui/db_record.sh
tests_ui_test_record_SOURCES = tests/ui/test_record.c tests/ui/screen_util.c tests/ui/screen_util.h
tests_ui_test_record_CFLAGS = $(TEST_UI_CFLAGS)
tests_ui_test_record_LDADD = $(TEST_UI_LIBS)
