# core/csv: RFC 4180 reader and writer (cli helper).
src_core_libcore_a_SOURCES += src/core/csv.c src/core/csv.h
# core/import_sheet: district enterprise tables read for import (cli helper).
src_core_libcore_a_SOURCES += src/core/import_sheet.c src/core/import_sheet.h
