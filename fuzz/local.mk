# fuzz targets (--enable-fuzzing): libFuzzer programs for the parsers of
# outside input.  contrib/fuzz.sh builds and runs them.
if ENABLE_FUZZING
fuzz_ldflags = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += fuzz/csv_fuzzer
fuzz_csv_fuzzer_SOURCES = fuzz/csv_fuzzer.c
fuzz_csv_fuzzer_LDFLAGS = $(fuzz_ldflags)
fuzz_csv_fuzzer_LDADD = src/core/libcore.a $(LIBICONV)
noinst_PROGRAMS += fuzz/encoding_fuzzer
fuzz_encoding_fuzzer_SOURCES = fuzz/encoding_fuzzer.c
fuzz_encoding_fuzzer_LDFLAGS = $(fuzz_ldflags)
fuzz_encoding_fuzzer_LDADD = src/core/libcore.a $(LIBICONV)
# Text core (core helper): UTF-8, escaping, widths, USCC.
noinst_PROGRAMS += fuzz/text_fuzzer
fuzz_text_fuzzer_SOURCES = fuzz/text_fuzzer.c
fuzz_text_fuzzer_LDFLAGS = $(fuzz_ldflags)
fuzz_text_fuzzer_LDADD = src/core/libcore.a $(LIBICONV)
endif
EXTRA_DIST += fuzz/corpus
EXTRA_DIST += contrib/fuzz.sh contrib/bench-import.sh
# The XLSX reader and its import seam (xlsx helper).
if ENABLE_FUZZING
noinst_PROGRAMS += fuzz/xlsx_fuzzer
fuzz_xlsx_fuzzer_SOURCES = fuzz/xlsx_fuzzer.c
fuzz_xlsx_fuzzer_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS)
fuzz_xlsx_fuzzer_LDFLAGS = $(fuzz_ldflags)
fuzz_xlsx_fuzzer_LDADD = src/core/libcore.a $(XLSX_READ_LIBS) $(LIBICONV)
endif
