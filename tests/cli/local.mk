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
check_PROGRAMS += tests/cli/test_out
TESTS += tests/cli/test_out
tests_cli_test_out_SOURCES = tests/cli/test_out.c src/out_table.c src/out_xlsx.c
tests_cli_test_out_CFLAGS = $(TEST_CFLAGS) $(XLSXWRITER_CFLAGS)
tests_cli_test_out_LDADD = $(TEST_CORE_LIBS) $(XLSXWRITER_LIBS)
EXTRA_DIST += tests/cli/cli_setup.sh tests/cli/db_cli_export.sh tests/cli/db_cli_import.sh tests/cli/db_cli_terminal.sh
TESTS += tests/cli/db_cli_export.sh tests/cli/db_cli_import.sh tests/cli/db_cli_terminal.sh
# The XLSX reader and its import seam (xlsx helper).
check_PROGRAMS += tests/cli/test_xlsx_read
TESTS += tests/cli/test_xlsx_read
tests_cli_test_xlsx_read_CFLAGS = $(TEST_CFLAGS) $(XLSXWRITER_CFLAGS) $(LIBZIP_CFLAGS)
tests_cli_test_xlsx_read_LDADD = $(TEST_CORE_LIBS) $(XLSX_READ_LIBS) $(XLSXWRITER_LIBS)
EXTRA_DIST += tests/cli/db_cli_xlsx.sh
TESTS += tests/cli/db_cli_xlsx.sh
