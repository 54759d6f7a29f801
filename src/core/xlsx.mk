# core/xlsx: the streaming XLSX reader (libzip + expat) and its import
# seam (xlsx helper).  Programs that link them add $(XLSX_READ_LIBS).
src_core_libcore_a_SOURCES += src/core/xlsx_read.c src/core/xlsx_read.h src/core/import_xlsx.c
src_core_libcore_a_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS) $(EXPAT_CFLAGS)
XLSX_READ_LIBS = $(LIBZIP_LIBS) $(EXPAT_LIBS)
