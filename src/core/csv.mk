# core/csv: RFC 4180 reader and writer (cli helper).
src_core_libcore_a_SOURCES += src/core/csv.c src/core/csv.h
