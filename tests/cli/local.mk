# tests/cli: the CSV reader/writer, the exports and imports, lookups.
check_PROGRAMS += tests/cli/test_csv tests/cli/test_csv_spectrum
TESTS += tests/cli/test_csv tests/cli/test_csv_spectrum
tests_cli_test_csv_CFLAGS = $(TEST_CFLAGS)
tests_cli_test_csv_LDADD = $(TEST_CORE_LIBS)
tests_cli_test_csv_spectrum_CFLAGS = $(TEST_CFLAGS)
tests_cli_test_csv_spectrum_LDADD = $(TEST_CORE_LIBS)
check_PROGRAMS += tests/cli/test_import_sheet
TESTS += tests/cli/test_import_sheet
tests_cli_test_import_sheet_CFLAGS = $(TEST_CFLAGS)
tests_cli_test_import_sheet_LDADD = $(TEST_CORE_LIBS)
